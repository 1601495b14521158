/** At most `limit` requests per key per minute (a fixed window; in memory, per process). */
export class RequestRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  /** undefined when allowed; otherwise the seconds until the window resets. */
  take(key: string): number | undefined {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return undefined;
    }
    window.count += 1;
    return window.count > this.limit ? Math.ceil((window.start + this.windowMs - now) / 1000) : undefined;
  }
}

export interface FailureLimitOptions {
  /** Failures one client address may have in a window before it is refused until the window ends. */
  readonly perAddress: number;
  /**
   * The brake: failures from all addresses together in a window. Past it, any address with a
   * failure in its own window is refused (one that has not failed, e.g. the admin's, still tries).
   */
  readonly total: number;
  readonly windowMs: number;
  /** Addresses remembered at most (the oldest windows are dropped first). */
  readonly maxAddresses?: number;
}

interface FailureWindow {
  start: number;
  count: number;
}

/** An attempt allowed to be checked: say how it went. */
export interface Attempt {
  readonly retryAfterSeconds?: undefined;
  settle(failed: boolean): void;
}

/**
 * Failed attempts (pairing codes, credentials) per client address, in fixed windows, in memory.
 * An address asks before its attempt is checked, so a refused address learns nothing: its guesses
 * are not tried. Only an address that has failed is ever refused; its attempts still being checked
 * count against its limit too, so many sent at once cannot pass the limit together.
 */
export class FailureLimit {
  private readonly windows = new Map<string, FailureWindow>();
  private readonly pending = new Map<string, number>();
  private total: FailureWindow = { start: 0, count: 0 };
  private readonly maxAddresses: number;

  constructor(
    private readonly options: FailureLimitOptions,
    private readonly now: () => number,
  ) {
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** The seconds this address waits (at least 1), or its attempt, to check and then settle. */
  attempt(address: string): { readonly retryAfterSeconds: number } | Attempt {
    const wait = this.refused(address);
    if (wait !== undefined) return { retryAfterSeconds: wait };
    this.pending.set(address, (this.pending.get(address) ?? 0) + 1);
    let settled = false;
    return {
      settle: (failed) => {
        if (settled) return;
        settled = true;
        const left = (this.pending.get(address) ?? 1) - 1;
        if (left <= 0) this.pending.delete(address);
        else this.pending.set(address, left);
        if (failed) this.fail(address);
      },
    };
  }

  /** undefined when this address may try now; otherwise the seconds to wait (at least 1). */
  refused(address: string): number | undefined {
    const now = this.now();
    const own = this.current(address, now);
    if (!own) return undefined;
    const waits: number[] = [];
    if (own.count + (this.pending.get(address) ?? 0) >= this.options.perAddress) waits.push(this.secondsLeft(own, now));
    if (now - this.total.start < this.options.windowMs && this.total.count >= this.options.total) waits.push(this.secondsLeft(this.total, now));
    return waits.length === 0 ? undefined : Math.max(...waits);
  }

  /** Counts a failed attempt of this address. */
  fail(address: string): void {
    const now = this.now();
    const own = this.current(address, now);
    if (own) own.count += 1;
    else {
      this.makeRoom(now);
      this.windows.set(address, { start: now, count: 1 });
    }
    if (now - this.total.start >= this.options.windowMs) this.total = { start: now, count: 0 };
    this.total.count += 1;
  }

  private current(address: string, now: number): FailureWindow | undefined {
    const window = this.windows.get(address);
    if (window && now - window.start >= this.options.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }

  private secondsLeft(window: FailureWindow, now: number): number {
    return Math.max(1, Math.ceil((window.start + this.options.windowMs - now) / 1000));
  }

  /** Many addresses (an attacker's IPv6 range): ended windows go first, then the oldest. */
  private makeRoom(now: number): void {
    if (this.windows.size < this.maxAddresses) return;
    for (const [address, window] of this.windows) if (now - window.start >= this.options.windowMs) this.windows.delete(address);
    for (const address of this.windows.keys()) {
      if (this.windows.size < this.maxAddresses) break;
      this.windows.delete(address);
    }
  }
}

/** Failed pairing codes: 20 a minute per address, 200 a minute in all. */
export const PAIRING_FAILURES: FailureLimitOptions = { perAddress: 20, total: 200, windowMs: 60_000 };
/** Unknown credentials (Bearer or cookie): 50 a minute per address, 200 a minute in all. */
export const CREDENTIAL_FAILURES: FailureLimitOptions = { perAddress: 50, total: 200, windowMs: 60_000 };

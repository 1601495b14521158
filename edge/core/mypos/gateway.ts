import type { Checked } from '../../../shared/result.js';
import { MyposClient, type CallResult, type Exchange, type SignedRequest } from './client.js';
import { isNoAnswer } from './errors.js';
import { realClock, SlidingWindowLimiter, type Clock } from './rate-limiter.js';
import type { MyposMethod } from './methods.js';
import type { MyposRequest } from './requests.js';

export interface GatewayTimings {
  /** Whole request, connect included (myPOS: 30 s). */
  readonly requestTimeoutMs: number;
  /** Wait before sending the same request again when no answer came (myPOS: 5 s). */
  readonly retryDelayMs: number;
  /** Resends after the first attempt (myPOS: at most 3). */
  readonly maxRetries: number;
  /** Requests per window per login (myPOS: 1000 a minute). */
  readonly rateLimit: number;
  readonly rateWindowMs: number;
}

export const MYPOS_TIMINGS: GatewayTimings = {
  requestTimeoutMs: 30_000,
  retryDelayMs: 5_000,
  maxRetries: 3,
  rateLimit: 1000,
  rateWindowMs: 60_000,
};

export type GatewayResult = CallResult & { readonly attempts: number };

/**
 * Who goes first when the per-login budget is tight (lower first). The budget is shared by every
 * terminal of the login, so a chain's status polls could otherwise starve a purchase or a cancel:
 * money moves and the cashier's cancel go first, status polls last (a later poll only delays news).
 */
export const CALL_PRIORITY: Readonly<Record<MyposMethod, number>> = {
  MPRCancel: 0,
  MPRLastTxnVoid: 0,
  MPRPurchase: 0,
  MPRRefund: 0,
  MPRSubscribe: 1,
  MPRGetTxnStatus: 2,
};

export interface GatewayOptions {
  readonly timings?: Partial<GatewayTimings>;
  readonly clock?: Clock;
  /** Called for every attempt, before the result is used: the edge stores it. */
  readonly onExchange?: (exchange: Exchange) => void | Promise<void>;
  /** Called with the signed request before the first send: write-before-talk. */
  readonly beforeSend?: (signed: SignedRequest) => void | Promise<void>;
}

/**
 * Sends requests to myPOS with the documented limits: a lost answer is retried with the very same
 * request (same RUID, same signature) after a pause, at most maxRetries times; myPOS answers a
 * repeat from its cache, so a retry never charges twice. One gateway per login (one per edge
 * process on Node), so its 1000-a-minute budget is shared by all the login's terminals.
 */
export class MyposGateway {
  readonly timings: GatewayTimings;
  private readonly limiter: SlidingWindowLimiter;
  private readonly clock: Clock;

  constructor(
    private readonly client: MyposClient,
    private readonly options: GatewayOptions = {},
  ) {
    this.timings = { ...MYPOS_TIMINGS, ...options.timings };
    this.clock = options.clock ?? realClock;
    this.limiter = new SlidingWindowLimiter(this.timings.rateLimit, this.timings.rateWindowMs, this.clock);
  }

  /** Sends the request, waiting for the budget in its method's priority if needed. */
  call(request: Checked<MyposRequest> | MyposRequest): Promise<GatewayResult> {
    return this.run(request, false) as Promise<GatewayResult>;
  }

  /**
   * Sends the request only if the budget lets it go at once (nothing of its priority or above
   * waiting); otherwise answers undefined without sending or storing anything. A status poll that
   * holds its terminal's lock uses it, so that it never waits for the budget inside the lock, where
   * it would hold up that terminal's cancel; it waits with ready() outside, and tries again.
   */
  callIfRoom(request: Checked<MyposRequest> | MyposRequest): Promise<GatewayResult | undefined> {
    return this.run(request, true);
  }

  /** Takes one request of the login's budget for a call made outside the gateway (the doctor's). */
  takeBudget(method: MyposMethod): Promise<void> {
    return this.limiter.acquire(CALL_PRIORITY[method]);
  }

  /** Resolves when a request of this method would be sent at once. */
  ready(method: MyposMethod): Promise<void> {
    return this.limiter.ready(CALL_PRIORITY[method]);
  }

  private async run(request: Checked<MyposRequest> | MyposRequest, onlyIfRoom: boolean): Promise<GatewayResult | undefined> {
    const checked = 'ok' in request ? request : { ok: true as const, value: request };
    if (!checked.ok) {
      return { ok: false, error: { kind: 'invalid_request', message: checked.error.message, field: checked.error }, exchange: undefined, attempts: 0 };
    }
    const priority = CALL_PRIORITY[checked.value.method];
    const signed = await this.client.sign(checked.value);
    if (!signed.ok) {
      return { ok: false, error: { kind: 'invalid_request', message: signed.error.message, field: signed.error }, exchange: undefined, attempts: 0 };
    }
    if (onlyIfRoom && !this.limiter.tryAcquire(priority)) return undefined;
    await this.options.beforeSend?.(signed.value);
    let attempt = 0;
    for (;;) {
      attempt += 1;
      if (!onlyIfRoom || attempt > 1) await this.limiter.acquire(priority);
      const result = await this.client.send(signed.value, attempt, this.timings.requestTimeoutMs);
      if (result.exchange) await this.options.onExchange?.(result.exchange);
      if (result.ok || !isNoAnswer(result.error) || attempt > this.timings.maxRetries) return { ...result, attempts: attempt };
      await this.clock.sleep(this.timings.retryDelayMs);
    }
  }
}

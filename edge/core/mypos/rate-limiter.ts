// At most `limit` requests per sliding window (myPOS: 1000 a minute per login). Callers beyond it
// wait; nothing is dropped. Waiters are served by priority (0 first), in arrival order within
// one, so when the budget is tight a purchase or a cancel never waits behind status polls.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Waiter {
  readonly priority: number;
  /** false: only waits for room (ready()), takes no slot. */
  readonly takes: boolean;
  readonly resolve: () => void;
}

export class SlidingWindowLimiter {
  private readonly sent: number[] = [];
  private readonly waiting: Waiter[] = [];
  private pumping = false;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Resolves when one more request of this priority may be sent now; the slot is taken. */
  acquire(priority = 0): Promise<void> {
    return this.enqueue(priority, true);
  }

  /**
   * Takes a slot only if one is free now and no request of this or a higher priority waits for
   * one: for a caller that must not wait while it holds something (a terminal's lock).
   */
  tryAcquire(priority = 0): boolean {
    this.prune(this.clock.now());
    if (this.sent.length >= this.limit || this.waiting.some((waiter) => waiter.takes && waiter.priority <= priority)) return false;
    this.sent.push(this.clock.now());
    return true;
  }

  /** Resolves when a request of this priority would get a slot at once (none is taken). */
  ready(priority = 0): Promise<void> {
    return this.enqueue(priority, false);
  }

  get queued(): number {
    return this.waiting.length;
  }

  private enqueue(priority: number, takes: boolean): Promise<void> {
    return new Promise((resolve) => {
      let at = this.waiting.length;
      while (at > 0 && (this.waiting[at - 1]?.priority ?? 0) > priority) at -= 1;
      this.waiting.splice(at, 0, { priority, takes, resolve });
      void this.pump();
    });
  }

  private prune(now: number): void {
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - this.windowMs) this.sent.shift();
  }

  /** One loop serves the queue; it sleeps only until the oldest request leaves the window. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        // Let the callers just served run first (they may queue again, by priority).
        await Promise.resolve();
        const first = this.waiting[0];
        if (!first) return;
        const now = this.clock.now();
        this.prune(now);
        if (this.sent.length < this.limit) {
          this.waiting.shift();
          if (first.takes) this.sent.push(now);
          first.resolve();
          continue;
        }
        await this.clock.sleep((this.sent[0] ?? now) + this.windowMs - now);
      }
    } finally {
      this.pumping = false;
    }
  }
}

import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter, type Clock } from '../../../edge/core/mypos/rate-limiter.js';
import { manualClock } from '../../helpers/manual-clock.js';

/** A clock whose sleeps advance time instantly, so a minute-long window is tested in no time. */
function virtualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('per-login rate limit', () => {
  it('lets 1000 through at once, then queues the rest in order instead of failing', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(1000, 60_000, clock);
    const order: number[] = [];
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 1003 }, (_, i) =>
        limiter.acquire().then(() => {
          order.push(i);
          times.push(clock.now());
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 1003 }, (_, i) => i));
    expect(times.slice(0, 1000).every((t) => t === 0)).toBe(true);
    expect(times.slice(1000)).toEqual([60_000, 60_000, 60_000]);
    expect(clock.slept).toEqual([60_000]);
  });

  it('frees a slot as soon as the oldest request leaves the window', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(2, 1000, clock);
    await limiter.acquire();
    await clock.sleep(400);
    await limiter.acquire();
    await limiter.acquire();
    expect(clock.now()).toBe(1000);
  });
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('priorities when the budget is tight', () => {
  it('a priority-0 request that arrives behind waiting priority-2 ones goes first, order kept within a priority', async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowLimiter(2, 1000, clock);
    const order: string[] = [];
    const polls = ['s1', 's2', 's3', 's4', 's5'].map((name) => limiter.acquire(2).then(() => order.push(name)));
    await settle();
    expect(order).toEqual(['s1', 's2']);
    const urgent = [limiter.acquire(0).then(() => order.push('purchase')), limiter.acquire(0).then(() => order.push('cancel'))];
    await settle();
    clock.advance(1000);
    await settle();
    expect(order).toEqual(['s1', 's2', 'purchase', 'cancel']);
    clock.advance(1000);
    await settle();
    clock.advance(1000);
    await Promise.all([...polls, ...urgent]);
    expect(order).toEqual(['s1', 's2', 'purchase', 'cancel', 's3', 's4', 's5']);
  });

  it('tryAcquire takes a free slot at once, never one that a waiting request of its priority or above needs; ready() waits without taking one', async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowLimiter(1, 1000, clock);
    expect(limiter.tryAcquire(2)).toBe(true);
    expect(limiter.tryAcquire(2)).toBe(false);
    let readyAt: number | undefined;
    const probe = limiter.ready(2).then(() => (readyAt = clock.now()));
    const purchase = limiter.acquire(0);
    await settle();
    clock.advance(1000);
    await purchase;
    await settle();
    // The purchase took the freed slot; the probe still waits for the next one.
    expect(readyAt).toBeUndefined();
    clock.advance(1000);
    await probe;
    expect(readyAt).toBe(2000);
    expect(limiter.tryAcquire(2)).toBe(true);
    expect(limiter.tryAcquire(0)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter, type Clock } from '../../../edge/core/mypos/rate-limiter.js';

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

import type { Clock } from '../../edge/core/mypos/rate-limiter.js';

/** A clock whose sleeps end only when the test moves time on. */
export function manualClock(): Clock & { advance(ms: number): void; sleepers(): number } {
  let now = 0;
  const sleeping: Array<{ until: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((wake) => sleeping.push({ until: now + ms, wake })),
    advance(ms) {
      now += ms;
      for (const sleeper of sleeping.filter((s) => s.until <= now)) {
        sleeping.splice(sleeping.indexOf(sleeper), 1);
        sleeper.wake();
      }
    },
    sleepers: () => sleeping.length,
  };
}

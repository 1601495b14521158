import { describe, expect, it } from 'vitest';
import { ClockWatch } from '../../edge/adapters/node/clock-watch.js';

describe('clock offset from myPOS', () => {
  it('measures against the middle of the exchange and warns once when over 5 s', () => {
    const lines: string[] = [];
    const watch = new ClockWatch({ info: () => undefined, error: () => undefined, warn: (msg, fields) => lines.push(`${msg} ${JSON.stringify(fields)}`) });
    watch.observe(10_000, 9_000, 9_200);
    expect(watch.offsetMs).toBe(900);
    expect(lines).toEqual([]);
    watch.observe(20_000, 9_000, 9_200);
    watch.observe(20_000, 9_000, 9_200);
    expect(watch.offsetMs).toBe(10_900);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('clock differs from myPOS');
    watch.observe(Number.NaN, 0, 0);
    expect(watch.offsetMs).toBe(10_900);
  });
});

import { describe, expect, it } from 'vitest';
import { createRuidGenerator, newRuid, RUID_MAX_LENGTH } from '../../shared/ruid.js';
import { checkRuid } from '../../shared/validation.js';

describe('RUID', () => {
  it('is unique, valid and within 255 characters', () => {
    const ruids = new Set(Array.from({ length: 10_000 }, () => newRuid()));
    expect(ruids.size).toBe(10_000);
    for (const ruid of ruids) {
      expect(ruid.length).toBeLessThanOrEqual(RUID_MAX_LENGTH);
      expect(checkRuid(ruid).ok).toBe(true);
    }
  });

  it('sorts by time as text, also within one millisecond', () => {
    let time = 1_700_000_000_000;
    const next = createRuidGenerator(() => time);
    const made: string[] = [];
    for (let i = 0; i < 500; i++) {
      if (i % 50 === 0) time += 1;
      made.push(next());
    }
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });

  it('does not depend on the random source to order', () => {
    const next = createRuidGenerator(() => 5, () => new Uint8Array(16).fill(255));
    const a = next();
    const b = next();
    expect(b > a).toBe(true);
  });
});

describe('RUID when the clock steps back', () => {
  it('stays increasing', () => {
    const times = [100, 100, 90, 80, 101];
    const next = createRuidGenerator(() => times.shift() ?? 200);
    const made = Array.from({ length: 6 }, () => next());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(6);
  });
});

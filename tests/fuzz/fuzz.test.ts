import { describe, expect, it } from 'vitest';
import { iqomFuzz } from './iqom-fuzz.js';
import { soapFuzz } from './soap-fuzz.js';

// A small seeded share of `npm run test:fuzz` (which runs 100 000 cases of each).

describe('fuzzing (a share of the full run)', () => {
  it('the SOAP answer path never crashes and accepts no forgery', async () => {
    const result = await soapFuzz(1500, 20261122);
    expect(result).toMatchObject({ cases: 1500, crashes: 0, forgeries: 0 });
    // The mutations reach past the parser: most are refused, by the parser or the signature.
    expect(result.rejected).toBeGreaterThan(1000);
  }, 60_000);

  it('the iqom reader never crashes and never reads OK from another command\'s answer', () => {
    const result = iqomFuzz(5000, 20261122);
    expect(result).toMatchObject({ cases: 5000, crashes: 0, wrongOk: 0 });
    expect(result.documents).toBeGreaterThan(5000);
  });
});

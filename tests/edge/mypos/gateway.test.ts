import { describe, expect, it } from 'vitest';
import { MyposClient } from '../../../edge/core/mypos/client.js';
import { MyposGateway } from '../../../edge/core/mypos/gateway.js';
import { importCertificatesPem, importPrivateKeyPem } from '../../../edge/core/mypos/keys.js';
import type { Clock } from '../../../edge/core/mypos/rate-limiter.js';
import { purchaseRequest } from '../../../edge/core/mypos/requests.js';
import { CertificateVerifier, KeyRing } from '../../../edge/core/mypos/signing.js';
import { readTextCapped, type MyposTransport } from '../../../edge/core/mypos/transport.js';
import { opensslFixtures } from '../../helpers/fixtures.js';

// The retry rule with a virtual clock: 5 s pauses, at most 3 resends, the same bytes each time.
// (The same rule over real HTTP is in tests/edge/simulator.)

async function gatewayWith(transport: MyposTransport, clock: Clock) {
  const client = new MyposClient({
    endpoint: 'http://127.0.0.1:9/infromhttp',
    login: 'a@b.c',
    version: '3.0',
    fieldOrder: 'reference',
    signer: new KeyRing(new Map([['1', await importPrivateKeyPem(opensslFixtures.pkcs8Pem)]]), '1'),
    verifier: new CertificateVerifier(await importCertificatesPem(opensslFixtures.certPem)),
    transport,
  });
  return new MyposGateway(client, { clock });
}

function virtualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

const request = purchaseRequest({ tid: '90000015', ruid: 'RUID-1', amountCents: 100 });

describe('gateway retries', () => {
  it('sends the same request 4 times in all, 5 s apart, when no answer comes', async () => {
    const bodies: string[] = [];
    const clock = virtualClock();
    const gateway = await gatewayWith(async ({ body }) => {
      bodies.push(body);
      throw new TypeError('fetch failed');
    }, clock);
    const result = await gateway.call(request);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.kind).toBe('transport');
    expect(result.attempts).toBe(4);
    expect(clock.slept).toEqual([5_000, 5_000, 5_000]);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('<urn:ruid>RUID-1</urn:ruid>');
  });

  it('resends when the answer is unreadable XML, like a lost one', async () => {
    let sends = 0;
    const clock = virtualClock();
    const gateway = await gatewayWith(async () => {
      sends += 1;
      return { status: 200, date: undefined, readText: async () => '<not-soap/>' };
    }, clock);
    await gateway.call(request);
    expect(sends).toBe(4);
  });

  it('does not resend a 4xx answer', async () => {
    let sends = 0;
    const gateway = await gatewayWith(async () => {
      sends += 1;
      return { status: 400, date: undefined, readText: async () => '' };
    }, virtualClock());
    const result = await gateway.call(request);
    expect(sends).toBe(1);
    expect(!result.ok && result.error.kind === 'http_status' && result.error.httpStatus).toBe(400);
  });

  it('maps a response over 10 MB to too_large without reading it all', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const gateway = await gatewayWith(
      async () => {
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 1;
            controller.enqueue(chunk);
          },
        });
        return { status: 200, date: undefined, readText: (maxBytes: number) => readTextCapped(body, maxBytes) };
      },
      virtualClock(),
    );
    const result = await gateway.call(request);
    expect(!result.ok && result.error.kind).toBe('too_large');
    expect(pulled).toBeLessThan(20 * 4);
  });
});

import { DOCUMENTED_PROFILE } from '../../../edge/core/mypos/profile.js';
import { describe, expect, it } from 'vitest';
import { MyposClient } from '../../../edge/core/mypos/client.js';
import { MyposGateway, type GatewayOptions } from '../../../edge/core/mypos/gateway.js';
import { importCertificatesPem, importPrivateKeyPem } from '../../../edge/core/mypos/keys.js';
import type { Clock } from '../../../edge/core/mypos/rate-limiter.js';
import { cancelRequest, purchaseRequest, txnStatusRequest } from '../../../edge/core/mypos/requests.js';
import { CertificateVerifier, KeyRing } from '../../../edge/core/mypos/signing.js';
import { readTextCapped, type MyposTransport } from '../../../edge/core/mypos/transport.js';
import { opensslFixtures } from '../../helpers/fixtures.js';
import { manualClock } from '../../helpers/manual-clock.js';

// The retry rule with a virtual clock: 5 s pauses, at most 3 resends, the same bytes each time.
// (The same rule over real HTTP is in tests/edge/simulator.)

async function gatewayWith(transport: MyposTransport, clock: Clock, timings?: GatewayOptions['timings']) {
  const client = new MyposClient({
    endpoint: 'http://127.0.0.1:9/infromhttp',
    login: 'a@b.c',
    profile: { ...DOCUMENTED_PROFILE, wireOrder: 'documented', signingOrder: 'documented' },
    signer: new KeyRing(new Map([['1', await importPrivateKeyPem(opensslFixtures.pkcs8Pem)]]), '1'),
    verifier: new CertificateVerifier(await importCertificatesPem(opensslFixtures.certPem)),
    transport,
  });
  return new MyposGateway(client, timings ? { clock, timings } : { clock });
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

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('gateway priorities over the per-login budget', () => {
  it('a purchase queued behind many status polls over the budget goes first', async () => {
    const sent: string[] = [];
    const clock = manualClock();
    // 10 requests a minute, no resends: 30 polls of many terminals fill it, then a purchase and a cancel arrive.
    const gateway = await gatewayWith(
      async ({ body }) => {
        sent.push(/<urn:(MPR\w+)[ >]/.exec(body)?.[1] ?? '?');
        throw new TypeError('fetch failed');
      },
      clock,
      { rateLimit: 10, rateWindowMs: 60_000, maxRetries: 0 },
    );
    const polls = Array.from({ length: 30 }, (_, i) => gateway.call(txnStatusRequest({ tid: `9000${String(i).padStart(4, '0')}`, ruid: `S-${i}`, ruidOriginal: `P-${i}` })));
    await until(() => sent.length === 10 && clock.sleepers() === 1);
    const purchase = gateway.call(purchaseRequest({ tid: '90000015', ruid: 'BUY-1', amountCents: 2000 }));
    const cancel = gateway.call(cancelRequest({ tid: '90000016', ruid: 'C-1', ruidOriginal: 'P-0' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toHaveLength(10);
    for (let minute = 1; minute <= 3; minute++) {
      clock.advance(60_000);
      await until(() => sent.length >= Math.min(10 * (minute + 1), 32));
    }
    await Promise.all([...polls, purchase, cancel]);
    // The first 10 polls went in the first minute; the purchase and the cancel (signed in either
    // order) are the first of the next, ahead of the 20 polls that waited longer.
    expect(sent.slice(0, 10).every((method) => method === 'MPRGetTxnStatus')).toBe(true);
    expect(sent.slice(10, 12).sort()).toEqual(['MPRCancel', 'MPRPurchase']);
    expect(sent.slice(12)).toHaveLength(20);
    expect(sent.length).toBe(32);
  });

  it('callIfRoom sends only when the budget has room now, and stores nothing otherwise', async () => {
    const clock = manualClock();
    const stored: string[] = [];
    const client = new MyposClient({
      endpoint: 'http://127.0.0.1:9/infromhttp',
      login: 'a@b.c',
      profile: { ...DOCUMENTED_PROFILE, wireOrder: 'documented', signingOrder: 'documented' },
      signer: new KeyRing(new Map([['1', await importPrivateKeyPem(opensslFixtures.pkcs8Pem)]]), '1'),
      verifier: new CertificateVerifier(await importCertificatesPem(opensslFixtures.certPem)),
      transport: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const gateway = new MyposGateway(client, { clock, timings: { rateLimit: 1, maxRetries: 0 }, beforeSend: (signed) => void stored.push(signed.request.ruid) });
    expect(await gateway.callIfRoom(txnStatusRequest({ tid: '90000015', ruid: 'S-1', ruidOriginal: 'P-1' }))).toBeDefined();
    expect(await gateway.callIfRoom(txnStatusRequest({ tid: '90000015', ruid: 'S-2', ruidOriginal: 'P-1' }))).toBeUndefined();
    expect(stored).toEqual(['S-1']);
    const ready = gateway.ready('MPRGetTxnStatus');
    await until(() => clock.sleepers() === 1);
    clock.advance(60_000);
    await ready;
    expect(await gateway.callIfRoom(txnStatusRequest({ tid: '90000015', ruid: 'S-3', ruidOriginal: 'P-1' }))).toBeDefined();
  });
});

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { connectionLimits, DEFAULT_CONNECTION_LIMITS, nodeClientAddress } from '../../edge/adapters/node/connection-guard.js';
import { FailureLimit } from '../../edge/core/auth/rate-limit.js';
import { ConfigError } from '../../edge/core/env-settings.js';
import { isOpenRoute, socketAddress, type ClientAddress } from '../../edge/core/http/auth.js';
import { StreamSlots } from '../../edge/core/http/sse.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Tries once from an address; `failed` says how the check went. Returns the wait when refused. */
function tryOnce(limit: FailureLimit, address: string, failed: boolean): number | undefined {
  const attempt = limit.attempt(address);
  if (attempt.retryAfterSeconds !== undefined) return attempt.retryAfterSeconds;
  attempt.settle(failed);
  return undefined;
}

describe('FailureLimit', () => {
  it('refuses an address after its failures, until its window ends, and tells how long', () => {
    const time = clock();
    const limit = new FailureLimit({ perAddress: 3, total: 100, windowMs: 60_000 }, time.now);
    for (let i = 0; i < 3; i++) expect(tryOnce(limit, 'a', true)).toBeUndefined();
    expect(tryOnce(limit, 'a', false)).toBe(60);
    time.advance(45_500);
    expect(tryOnce(limit, 'a', false)).toBe(15);
    // Another address is not concerned.
    expect(tryOnce(limit, 'b', false)).toBeUndefined();
    time.advance(14_500);
    expect(tryOnce(limit, 'a', false)).toBeUndefined();
  });

  it('never refuses for successes, however many', () => {
    const limit = new FailureLimit({ perAddress: 2, total: 2, windowMs: 60_000 }, clock().now);
    for (let i = 0; i < 100; i++) expect(tryOnce(limit, 'till', false)).toBeUndefined();
  });

  it('counts attempts still being checked, so many at once cannot pass the limit together', () => {
    const limit = new FailureLimit({ perAddress: 5, total: 1_000, windowMs: 60_000 }, clock().now);
    expect(tryOnce(limit, 'a', true)).toBeUndefined();
    const inFlight = [];
    for (let i = 0; i < 10; i++) {
      const attempt = limit.attempt('a');
      if (attempt.retryAfterSeconds === undefined) inFlight.push(attempt);
    }
    expect(inFlight).toHaveLength(4);
    for (const attempt of inFlight) attempt.settle(true);
    expect(limit.refused('a')).toBe(60);
  });

  it('brakes every address that failed once the shop-wide count is passed, never one that has not', () => {
    const time = clock();
    const limit = new FailureLimit({ perAddress: 50, total: 10, windowMs: 60_000 }, time.now);
    for (let i = 0; i < 10; i++) expect(tryOnce(limit, `attacker-${i}`, true)).toBeUndefined();
    expect(limit.refused('attacker-3')).toBe(60);
    // The admin's tablet, which has not failed, still tries; and pairs.
    expect(tryOnce(limit, 'admin', false)).toBeUndefined();
    // A new address gets one try; after its failure it waits like the others.
    expect(tryOnce(limit, 'attacker-new', true)).toBeUndefined();
    expect(limit.refused('attacker-new')).toBeGreaterThanOrEqual(1);
    time.advance(60_000);
    expect(limit.refused('attacker-3')).toBeUndefined();
  });

  it('remembers a bounded number of addresses', () => {
    const limit = new FailureLimit({ perAddress: 1, total: 1_000_000, windowMs: 60_000, maxAddresses: 100 }, clock().now);
    for (let i = 0; i < 1_000; i++) tryOnce(limit, `a-${i}`, true);
    expect(limit.refused('a-999')).toBe(60);
    // The oldest were dropped to make room.
    expect(limit.refused('a-0')).toBeUndefined();
  });
});

describe('open routes', () => {
  const open = new Set(['POST /api/devices/pair', 'GET /api/openapi.json']);

  it('are method and path', () => {
    expect(isOpenRoute(open, 'POST', '/api/devices/pair')).toBe(true);
    for (const method of ['GET', 'HEAD', 'PATCH', 'PUT', 'DELETE', 'OPTIONS']) expect(isOpenRoute(open, method, '/api/devices/pair')).toBe(false);
    expect(isOpenRoute(open, 'GET', '/api/openapi.json')).toBe(true);
    expect(isOpenRoute(open, 'HEAD', '/api/openapi.json')).toBe(true);
    expect(isOpenRoute(open, 'POST', '/api/openapi.json')).toBe(false);
    expect(isOpenRoute(open, 'POST', '/api/devices/pair/')).toBe(false);
  });

  it('read a bare path (the older form) as POST only', () => {
    const bare = new Set(['/api/devices/pair']);
    expect(isOpenRoute(bare, 'POST', '/api/devices/pair')).toBe(true);
    for (const method of ['GET', 'HEAD', 'PATCH', 'PUT', 'DELETE']) expect(isOpenRoute(bare, method, '/api/devices/pair')).toBe(false);
  });
});

describe('StreamSlots', () => {
  it('gives each holder its own slots; a release frees one, once', () => {
    const slots = new StreamSlots(2);
    const first = slots.take('device:a');
    const second = slots.take('device:a');
    expect(first && second).toBeTruthy();
    expect(slots.take('device:a')).toBeUndefined();
    expect(slots.take('device:b')).toBeDefined();
    first?.();
    first?.();
    expect(slots.count('device:a')).toBe(1);
    expect(slots.take('device:a')).toBeDefined();
    expect(slots.take('device:a')).toBeUndefined();
  });
});

describe('connection settings', () => {
  it('default to 2000 connections, 200 per address', () => {
    expect(connectionLimits({})).toEqual(DEFAULT_CONNECTION_LIMITS);
    expect(connectionLimits({ EDGE_MAX_CONNECTIONS: '500', EDGE_MAX_CONNECTIONS_PER_IP: '20' })).toMatchObject({ maxConnections: 500, maxPerAddress: 20 });
  });

  it.each([
    ['EDGE_MAX_CONNECTIONS', 'many'],
    ['EDGE_MAX_CONNECTIONS', '0'],
    ['EDGE_MAX_CONNECTIONS_PER_IP', '-1'],
    ['EDGE_MAX_CONNECTIONS_PER_IP', '2.5'],
  ])('refuse %s=%s, naming it', (name, value) => {
    expect(() => connectionLimits({ [name]: value })).toThrow(ConfigError);
    expect(() => connectionLimits({ [name]: value })).toThrow(name);
  });
});

describe('the client address', () => {
  async function addressOf(clientAddress: ClientAddress, peer: string | undefined, headers: Record<string, string> = {}, cf?: object) {
    const app = new Hono();
    app.get('/', (c) => c.text(clientAddress(c)));
    const request = new Request('http://edge/', { headers });
    if (cf) Object.defineProperty(request, 'cf', { value: cf });
    const env = peer === undefined ? undefined : { incoming: { socket: { remoteAddress: peer } } };
    return (await app.fetch(request, env)).text();
  }

  it('is the socket peer on Node, without the IPv4-mapped prefix, and never a header the client sets', async () => {
    expect(await addressOf(socketAddress, '::ffff:192.168.1.20', { 'x-forwarded-for': '10.9.9.9', 'cf-connecting-ip': '10.8.8.8' })).toBe('192.168.1.20');
    expect(await addressOf(nodeClientAddress(), '192.168.1.20', { 'x-forwarded-for': '10.9.9.9' })).toBe('192.168.1.20');
    expect(await addressOf(socketAddress, undefined, { 'cf-connecting-ip': '10.8.8.8' })).toBe('unknown');
  });

  it("is Cloudflare's header on a request Cloudflare made", async () => {
    expect(await addressOf(socketAddress, undefined, { 'cf-connecting-ip': '203.0.113.5' }, { colo: 'SOF' })).toBe('203.0.113.5');
  });

  it('behind a proxy on loopback: the address the proxy appended last', async () => {
    const behind = nodeClientAddress({ behindProxy: true });
    expect(await addressOf(behind, '127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 192.168.1.31' })).toBe('192.168.1.31');
    expect(await addressOf(behind, '::1', { 'x-forwarded-for': '192.168.1.32' })).toBe('192.168.1.32');
    // A client on the LAN that sends the header itself is not believed.
    expect(await addressOf(behind, '192.168.1.40', { 'x-forwarded-for': '127.0.0.1' })).toBe('192.168.1.40');
    expect(await addressOf(behind, '127.0.0.1')).toBe('127.0.0.1');
  });
});

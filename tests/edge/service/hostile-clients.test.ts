import { createAdaptorServer, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { spawnSync } from 'node:child_process';
import { Agent, request as httpRequest, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionServerOptions, guardServer, type ConnectionGuard, type ConnectionLimits } from '../../../edge/adapters/node/connection-guard.js';
import { MAX_STREAMS_PER_DEVICE } from '../../../edge/core/http/sse.js';
import { newRuid } from '../../../shared/ruid.js';
import { ADMIN_HEADERS, startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';

// Slow and hostile clients, over real sockets. Linux loopback answers the whole 127/8, so a test
// speaks from several client addresses: 127.0.0.1 is the attacker (or the harness's admin), the
// others are a till, a second tablet, and so on.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly ms: number;
}

/** One HTTP request from a chosen source address (a fresh connection unless an agent is given). */
function call(port: number, from: string, method: string, path: string, options: { headers?: Record<string, string>; body?: unknown; agent?: Agent } = {}): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        localAddress: from,
        agent: options.agent ?? false,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }), ...options.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ms: performance.now() - started }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function json<T = { error: { code: string; retryAfterSeconds?: number; limit?: number } }>(answer: Answer): T {
  return JSON.parse(answer.text) as T;
}

async function startGuarded(app: Hono, limits: ConnectionLimits): Promise<{ server: ServerType; guard: ConnectionGuard; port: number; close(): Promise<void> }> {
  const server = createAdaptorServer({ fetch: app.fetch, serverOptions: connectionServerOptions(limits) });
  // A long accept queue: thousands of connections arrive within a second here (with Node's default
  // of 511, the kernel drops SYNs and the client waits a second to resend).
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4_096, () => resolve()));
  const guard = guardServer(server, limits);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    guard,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        guard.remove();
        server.close(() => resolve());
        (server as Server).closeAllConnections();
      }),
  };
}

interface SlowClient {
  readonly socket: Socket;
  readonly openedAt: number;
  closedAt: number | undefined;
  bytesIn: number;
  /** What the server sent (nothing, or a 408 from Node's own header timeout). */
  answer: string;
}

/** Opens `count` connections from `from` that send a partial request head, in batches. */
async function openSlow(port: number, from: string, count: number): Promise<SlowClient[]> {
  const clients: SlowClient[] = [];
  for (let start = 0; start < count; start += 250) {
    const batch = Array.from({ length: Math.min(250, count - start) }, () =>
      new Promise<SlowClient>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, localAddress: from });
        const client: SlowClient = { socket, openedAt: 0, closedAt: undefined, bytesIn: 0, answer: '' };
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          client.bytesIn += chunk.length;
          client.answer += chunk.toString('latin1');
        });
        socket.on('close', () => {
          client.closedAt = performance.now();
          resolve(client);
        });
        socket.on('connect', () => {
          (client as { openedAt: number }).openedAt = performance.now();
          socket.write('GET /ping HTTP/1.1\r\nHost: edge\r\n');
          resolve(client);
        });
      }),
    );
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/** A header line every 400 ms on every slow connection still open: never the end of the head. */
function dribble(clients: readonly SlowClient[]): () => void {
  const timer = setInterval(() => {
    for (const client of clients) if (!client.socket.destroyed && client.socket.writable) client.socket.write('X-Slow: 1\r\n');
  }, 400);
  return () => clearInterval(timer);
}

async function until(check: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await sleep(stepMs);
  }
  return check();
}

/** File descriptors this process may open (both ends of each test connection are ours). */
function fileLimit(): number {
  const out = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim();
  return out === 'unlimited' ? 1_000_000 : Number(out) || 1024;
}

const percentile = (values: readonly number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

function smallApp(): Hono {
  const app = new Hono();
  app.get('/ping', (c) => c.text('pong'));
  // A client that never finishes its body is cut by the server: reading it then fails, quietly.
  app.post('/echo', async (c) => c.text(await c.req.text().catch(() => '')));
  app.get('/stream', (c) =>
    streamSSE(c, async (stream) => {
      const until = Date.now() + Number(c.req.query('ms') ?? '1000');
      let n = 0;
      while (Date.now() < until) {
        await stream.writeSSE({ data: String(n++) });
        await stream.sleep(200);
      }
    }),
  );
  return app;
}

describe('slow clients (the Node server guard)', () => {
  it('holds thousands of slow connections from one address while another address is served, and closes them at the header timeout', async () => {
    const limits: ConnectionLimits = { headersTimeoutMs: 5_000, requestTimeoutMs: 5_000, keepAliveTimeoutMs: 1_000, maxConnections: 10_000, maxPerAddress: 10_000 };
    const edge = await startGuarded(smallApp(), limits);
    const count = Math.max(200, Math.min(3_000, Math.floor((fileLimit() - 400) / 2)));
    let stopDribble = () => undefined as void;
    try {
      const openStarted = performance.now();
      // No connection opened after this can time out before it: the samples below are taken earlier.
      const earliestTimeout = openStarted + limits.headersTimeoutMs;
      const slow = await openSlow(edge.port, '127.0.0.1', count);
      stopDribble = dribble(slow);
      const openMs = performance.now() - openStarted;
      expect(await until(() => edge.guard.openFrom('127.0.0.1') === count, 3_000)).toBe(true);

      // Meanwhile a till on another address: each request on a new connection, answered quickly.
      const latencies: number[] = [];
      const held: number[] = [];
      while (latencies.length < 30 && performance.now() < earliestTimeout - 1_000) {
        const answer = await call(edge.port, '127.0.0.2', 'GET', '/ping');
        expect(answer.status).toBe(200);
        expect(answer.text).toBe('pong');
        latencies.push(answer.ms);
        if (performance.now() < earliestTimeout - 50) held.push(edge.guard.openFrom('127.0.0.1'));
      }
      expect(latencies.length).toBeGreaterThanOrEqual(5);
      expect(Math.min(...held)).toBe(count);
      expect(percentile(latencies, 50)).toBeLessThan(250);
      expect(Math.max(...latencies)).toBeLessThan(2_000);

      // Then every slow one is closed at the header timeout: none answered, none early.
      expect(await until(() => slow.every((client) => client.closedAt !== undefined), limits.headersTimeoutMs + 5_000, 50)).toBe(true);
      const lifetimes = slow.map((client) => (client.closedAt ?? 0) - client.openedAt);
      expect(Math.min(...lifetimes)).toBeGreaterThanOrEqual(limits.headersTimeoutMs - 500);
      expect(Math.max(...lifetimes)).toBeLessThan(limits.headersTimeoutMs + 5_000);
      expect(edge.guard.openFrom('127.0.0.1')).toBe(0);
      // Closed by the guard's deadline, or by Node's own header timeout (a 408) when its check came first.
      expect(slow.every((client) => client.answer === '' || client.answer.startsWith('HTTP/1.1 408'))).toBe(true);
      console.log(
        `[hostile-clients] ${count} slow connections from 127.0.0.1 (opened in ${Math.round(openMs)} ms, ${Math.min(...held)} held during ${latencies.length} requests); ` +
          `127.0.0.2 /ping p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; ` +
          `slow ones closed after ${Math.round(Math.min(...lifetimes))}–${Math.round(Math.max(...lifetimes))} ms (header timeout ${limits.headersTimeoutMs} ms; ${edge.guard.timedOut()} by the guard, the rest by Node's 408)`,
      );
    } finally {
      stopDribble();
      await edge.close();
    }
  }, 60_000);

  it('closes the connections over the per-address cap at once, and the global cap holds', async () => {
    const limits: ConnectionLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 1_000, maxConnections: 10_000, maxPerAddress: 50 };
    const edge = await startGuarded(smallApp(), limits);
    try {
      const started = performance.now();
      const slow = await openSlow(edge.port, '127.0.0.3', 300);
      expect(await until(() => slow.filter((client) => client.closedAt !== undefined).length === 250, 5_000)).toBe(true);
      const closed = slow.filter((client) => client.closedAt !== undefined);
      // At once: long before the header timeout, and with no answer.
      expect(Math.max(...closed.map((client) => (client.closedAt ?? 0) - started))).toBeLessThan(5_000);
      expect(closed.every((client) => client.bytesIn === 0)).toBe(true);
      expect(edge.guard.openFrom('127.0.0.3')).toBe(50);
      expect(edge.guard.refused()).toBe(250);
      // Another address is not affected.
      expect((await call(edge.port, '127.0.0.2', 'GET', '/ping')).status).toBe(200);
      // A closed connection frees its place.
      for (const client of slow.slice(0, 300)) client.socket.destroy();
      expect(await until(() => edge.guard.openFrom('127.0.0.3') === 0, 5_000)).toBe(true);
      expect((await call(edge.port, '127.0.0.3', 'GET', '/ping')).status).toBe(200);
    } finally {
      await edge.close();
    }

    const capped = await startGuarded(smallApp(), { ...limits, maxConnections: 100, maxPerAddress: 1_000 });
    try {
      const slow = await openSlow(capped.port, '127.0.0.4', 150);
      expect(await until(() => slow.filter((client) => client.closedAt !== undefined).length === 50, 5_000)).toBe(true);
      expect(capped.guard.open()).toBe(100);
      for (const client of slow) client.socket.destroy();
    } finally {
      await capped.close();
    }
  }, 30_000);

  it('cuts a request whose body is too slow (request timeout) but not an event stream that outlives it', async () => {
    const limits: ConnectionLimits = { headersTimeoutMs: 1_000, requestTimeoutMs: 1_500, keepAliveTimeoutMs: 500, maxConnections: 100, maxPerAddress: 100 };
    const edge = await startGuarded(smallApp(), limits);
    try {
      const streamMs = 3_500;
      const stream = new Promise<{ events: number; ms: number; complete: boolean }>((resolve, reject) => {
        const started = performance.now();
        const req = httpRequest({ host: '127.0.0.1', port: edge.port, path: `/stream?ms=${streamMs}`, localAddress: '127.0.0.2', agent: false }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ events: text.split('\n\n').filter((block) => block.startsWith('data:')).length, ms: performance.now() - started, complete: res.complete }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
      const slowBody = new Promise<{ ms: number; answer: string }>((resolve) => {
        const started = performance.now();
        const socket = connect({ host: '127.0.0.1', port: edge.port, localAddress: '127.0.0.5' });
        let answer = '';
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
        socket.on('connect', () => socket.write('POST /echo HTTP/1.1\r\nHost: edge\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n'));
        const timer = setInterval(() => socket.writable && socket.write('x'), 300);
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ ms: performance.now() - started, answer });
        });
      });
      const [streamed, body] = await Promise.all([stream, slowBody]);
      expect(body.ms).toBeLessThan(limits.requestTimeoutMs + 2_500);
      expect(body.answer).not.toContain('200 OK');
      expect(streamed.complete).toBe(true);
      expect(streamed.ms).toBeGreaterThan(streamMs - 200);
      expect(streamed.events).toBeGreaterThanOrEqual(Math.floor(streamMs / 200) - 2);
      console.log(`[hostile-clients] slow body cut after ${Math.round(body.ms)} ms (request timeout ${limits.requestTimeoutMs} ms); event stream of ${Math.round(streamed.ms)} ms delivered whole (${streamed.events} events)`);
    } finally {
      await edge.close();
    }
  }, 30_000);
});

describe('hostile clients on the edge', () => {
  let h: EdgeHarness;
  let port: number;
  beforeAll(async () => {
    h = await startEdgeHarness();
    port = Number(new URL(h.url).port);
  });
  afterAll(async () => {
    await h.close();
  });

  const newCode = async () => (await h.api<{ code: string }>('POST', '/api/devices/pairing-codes', { role: 'till' })).body.code;

  it('limits wrong pairing codes per address (429 with Retry-After); the admin pairs from another address meanwhile', async () => {
    const attacker = '127.0.0.11';
    for (let i = 0; i < 20; i++) {
      const answer = await call(port, attacker, 'POST', '/api/devices/pair', { body: { code: 'WRONGCODE2', name: 'Guess' } });
      expect(answer.status).toBe(400);
      expect(json(answer).error.code).toBe('bad_code');
    }
    const limited = await call(port, attacker, 'POST', '/api/devices/pair', { body: { code: 'WRONGCODE2', name: 'Guess' } });
    expect(limited.status).toBe(429);
    expect(json(limited).error.code).toBe('too_many_attempts');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(json(limited).error.retryAfterSeconds).toBe(retryAfter);

    const code = await newCode();
    // From the limited address even a valid code is not looked at (and so not spent)...
    expect((await call(port, attacker, 'POST', '/api/devices/pair', { body: { code, name: 'Front till' } })).status).toBe(429);
    // ...and the admin's tablet on another address pairs with it.
    const paired = await call(port, '127.0.0.12', 'POST', '/api/devices/pair', { body: { code, name: 'Front till' } });
    expect(paired.status).toBe(201);
    const { token } = json<{ token: string }>(paired);
    expect((await call(port, '127.0.0.12', 'GET', '/api/devices/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('limits unknown Bearer tokens per address: 3 000 in a row are not all answered 401', async () => {
    const attacker = '127.0.0.13';
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const statuses = new Map<number, number>();
    let retryAfter: string | string[] | undefined;
    const started = performance.now();
    try {
      let next = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < 3_000) {
            next += 1;
            const answer = await call(port, attacker, 'GET', '/api/devices/me', { headers: { authorization: `Bearer guess-${next}-${'x'.repeat(30)}` }, agent });
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            if (answer.status === 429) retryAfter = answer.headers['retry-after'];
          }
        }),
      );
    } finally {
      agent.destroy();
    }
    const ms = performance.now() - started;
    console.log(`[hostile-clients] 3 000 unknown Bearer tokens from one address in ${Math.round(ms)} ms: ${[...statuses].map(([status, n]) => `${n}×${status}`).join(', ')}`);
    expect(statuses.get(401)).toBe(50);
    expect(statuses.get(429)).toBe(2_950);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // A paired device on another address is not affected; the admin (harness, 127.0.0.1) neither.
    const device = await h.pairDevice();
    expect((await call(port, '127.0.0.14', 'GET', '/api/devices/me', { headers: { authorization: `Bearer ${device.token}` } })).status).toBe(200);
    expect((await h.api('GET', '/api/devices/me')).status).toBe(200);
  }, 60_000);

  it.each(['PATCH', 'PUT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PROPFIND'])('%s /api/devices/pair without a credential is 401 (never 500)', async (method) => {
    const answer = await call(port, '127.0.0.15', method, '/api/devices/pair', { body: method === 'GET' || method === 'HEAD' ? undefined : { name: 'x', terminals: ['*'] } });
    expect(answer.status).toBe(401);
    if (method !== 'HEAD') {
      expect(String(answer.headers['content-type'])).toContain('application/json');
      expect(json(answer).error.code).toBe('unauthorized');
    }
  });

  it('PATCH /api/devices/pair with a credential is an ordinary device route (403 for a till, 404 for the admin)', async () => {
    const device = await h.pairDevice();
    expect((await call(port, '127.0.0.15', 'PATCH', '/api/devices/pair', { body: { name: 'x' }, headers: { authorization: `Bearer ${device.token}` } })).status).toBe(403);
    expect((await call(port, '127.0.0.15', 'PATCH', '/api/devices/pair', { body: { name: 'x' }, headers: ADMIN_HEADERS })).status).toBe(404);
    // POST is the one open method: without a body it is a 400, not a 401.
    expect((await call(port, '127.0.0.15', 'POST', '/api/devices/pair', { body: {} })).status).toBe(400);
  });

  it(`opens at most ${MAX_STREAMS_PER_DEVICE} event streams per device; a closed stream frees its slot`, async () => {
    const device = await h.pairDevice();
    const headers = { authorization: `Bearer ${device.token}` };
    await h.sim('/terminals/90000016/mode', { mode: 'manual' });
    const ruid = newRuid();
    expect((await h.api('POST', '/api/payments', { ruid, tid: '90000016', amount: '2.00' }, headers)).status).toBe(202);
    await h.waitFor(ruid, ['sent']);
    const controllers: AbortController[] = [];
    const open = async () => {
      const controller = new AbortController();
      const response = await fetch(`${h.url}/api/payments/${ruid}/events`, { headers, signal: controller.signal });
      if (response.status === 200) controllers.push(controller);
      return response;
    };
    try {
      for (let i = 0; i < MAX_STREAMS_PER_DEVICE; i++) expect((await open()).status).toBe(200);
      const refused = await open();
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { code: string; limit: number } }).error).toMatchObject({ code: 'too_many_streams', limit: MAX_STREAMS_PER_DEVICE });
      // Another device, and the admin, have their own slots.
      const other = await h.pairDevice();
      const theirs = await fetch(`${h.url}/api/payments/${ruid}/events`, { headers: { authorization: `Bearer ${other.token}` }, signal: AbortSignal.timeout(500) });
      expect(theirs.status).toBe(200);
      await theirs.body?.cancel();
      // Closing one frees a slot (the server notices the closed connection).
      controllers.shift()?.abort();
      let reopened = 0;
      for (let i = 0; i < 50 && reopened !== 200; i++) {
        await sleep(40);
        const response = await open();
        reopened = response.status;
        if (reopened !== 200) await response.body?.cancel();
      }
      expect(reopened).toBe(200);
    } finally {
      for (const controller of controllers) controller.abort();
      await h.api('POST', `/api/payments/${ruid}/cancel`);
      await h.sim('/terminals/90000016/mode', { mode: 'auto' });
    }
  });
});
describe('the edge server itself', () => {
  it('closes the connections over EDGE_MAX_CONNECTIONS_PER_IP at once, and serves another address', async () => {
    const h = await startEdgeHarness({ EDGE_MAX_CONNECTIONS_PER_IP: '20' });
    try {
      const port = Number(new URL(h.url).port);
      const slow = await openSlow(port, '127.0.0.21', 30);
      expect(await until(() => slow.filter((client) => client.closedAt !== undefined).length === 10, 5_000)).toBe(true);
      expect(slow.filter((client) => client.closedAt !== undefined).every((client) => client.bytesIn === 0)).toBe(true);
      expect((await call(port, '127.0.0.22', 'GET', '/healthz')).status).toBe(200);
      for (const client of slow) client.socket.destroy();
    } finally {
      await h.close();
    }
  });
});

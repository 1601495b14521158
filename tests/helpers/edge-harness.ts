import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEdge, type RunningEdge } from '../../edge/adapters/node/start.js';
import { jsonLogger } from '../../edge/adapters/node/logger.js';
import type { Payment } from '../../shared/payments.js';

/**
 * Fast timings for tests: the simulator runs 250x faster (PIN entered after 48 ms, given up after
 * 600 ms) and the edge's schedule is scaled about the same (first checks 4 ms, PIN every 10 ms in a
 * 400 ms window), keeping the real ratios: the PIN window ends before the simulator gives up.
 */
export const FAST_ENV: Record<string, string> = {
  PORT: '0',
  SIM_PORT: '0',
  SIM_LAN_PORT: '0',
  SIM_TIME_SCALE: '0.004',
  PAYMENT_STATUS_FIRST_MS: '4',
  PAYMENT_STATUS_POLL_MS: '15',
  PAYMENT_PIN_FIRST_MS: '4',
  PAYMENT_PIN_POLL_MS: '10',
  PAYMENT_PIN_WINDOW_MS: '400',
  PAYMENT_UNKNOWN_POLL_MS: '15',
  PAYMENT_UNKNOWN_POLL_MAX_MS: '60',
  MYPOS_RETRY_DELAY_MS: '10',
  MYPOS_REQUEST_TIMEOUT_MS: '1500',
  EDGE_SSE_PING_MS: '100',
  EDGE_WEB_DIR: '/nonexistent',
  EDGE_ADMIN_TOKEN: 'test-admin-token-0123456789-abcdefghij',
};

export const ADMIN_HEADERS = { authorization: `Bearer ${FAST_ENV.EDGE_ADMIN_TOKEN}` };

export interface EdgeHarness {
  readonly edge: RunningEdge;
  readonly url: string;
  readonly simUrl: string;
  readonly logs: string[];
  /** Calls the API as the admin, unless headers say otherwise (an empty authorization: none). */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  sim<T = unknown>(path: string, body?: unknown): Promise<T>;
  payment(ruid: string): Promise<Payment>;
  /** Pairs a new device (as the admin would) and returns its token. */
  pairDevice(options?: { role?: 'till' | 'admin'; terminals?: string[]; name?: string }): Promise<{ token: string; id: string }>;
  waitFor(ruid: string, states: readonly string[], timeoutMs?: number): Promise<Payment>;
  close(): Promise<void>;
}

export async function startEdgeHarness(env: Record<string, string> = {}): Promise<EdgeHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'edge-'));
  const logs: string[] = [];
  const edge = await startEdge({ ...FAST_ENV, EDGE_DATA_DIR: dataDir, ...env }, jsonLogger((line) => logs.push(line)));
  const simUrl = edge.simulator?.url ?? '';
  const harness: EdgeHarness = {
    edge,
    url: edge.url,
    simUrl,
    logs,
    async api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const all: Record<string, string> = { ...ADMIN_HEADERS, ...headers };
      if (all.authorization === '') delete all.authorization;
      const response = await fetch(`${edge.url}${path}`, {
        method,
        headers: body === undefined ? all : { 'content-type': 'application/json', ...all },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
    },
    async sim<T>(path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${simUrl}/sim${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as T;
    },
    async pairDevice(options = {}) {
      const { body: code } = await harness.api<{ code: string }>('POST', '/api/devices/pairing-codes', { role: options.role ?? 'till', terminals: options.terminals ?? ['*'] });
      const { body } = await harness.api<{ token: string; device: { id: string } }>('POST', '/api/devices/pair', { code: code.code, name: options.name ?? 'Test till' }, { authorization: '' });
      return { token: body.token, id: body.device.id };
    },
    async payment(ruid: string) {
      const { body } = await harness.api<{ payment: Payment }>('GET', `/api/payments/${ruid}`);
      return body.payment;
    },
    async waitFor(ruid: string, states: readonly string[], timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const payment = await harness.payment(ruid);
        if (payment && states.includes(payment.state)) return payment;
        if (Date.now() > deadline) throw new Error(`payment ${ruid} is ${payment?.state}, not ${states.join('|')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      await edge.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export interface SseEvent {
  readonly event: string;
  readonly id: string;
  readonly data: string;
}

/** Reads a text/event-stream until it ends (or maxMs), keeping events and comments. */
export async function readSse(
  url: string,
  options: { lastEventId?: string; maxMs?: number; onEvent?: (event: SseEvent) => void; headers?: Record<string, string> } = {},
): Promise<{ events: SseEvent[]; comments: string[]; status: number; contentType: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.maxMs ?? 5_000);
  const headers: Record<string, string> = { ...(options.headers ?? ADMIN_HEADERS) };
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  try {
    const reader = response.body?.getReader();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let split: number;
      while ((split = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else {
            const colon = line.indexOf(':');
            fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
          }
        }
        if (fields.data !== undefined) {
          const event = { event: fields.event ?? 'message', id: fields.id ?? '', data: fields.data };
          events.push(event);
          options.onEvent?.(event);
        }
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return { events, comments, status: response.status, contentType: response.headers.get('content-type') ?? '' };
}

import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';
import type { Socket } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { integer, type Env } from '../../core/env-settings.js';
import { plainAddress, type ClientAddress } from '../../core/http/auth.js';

// The Node server against slow and hostile clients: a connection must send its request's headers
// in time (a slow-loris holds nothing for long), one address holds at most so many connections
// (the extra ones are closed at once), and the server as a whole at most so many. Event streams are
// responses: once the request is in, nothing here cuts them (they end with their payment, or when
// their client goes).

export interface ConnectionLimits {
  /** From a connection's start (or the end of its last response) to a complete request head. */
  readonly headersTimeoutMs: number;
  /** To receive a whole request, body included (not the response: event streams are not cut). */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** EDGE_MAX_CONNECTIONS: connections for the whole server; more are refused by Node. */
  readonly maxConnections: number;
  /** EDGE_MAX_CONNECTIONS_PER_IP: connections per client address; more are closed at once. */
  readonly maxPerAddress: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 2_000,
  maxPerAddress: 200,
};

/** EDGE_MAX_CONNECTIONS and EDGE_MAX_CONNECTIONS_PER_IP (a bad value is a ConfigError naming it). */
export function connectionLimits(env: Env): ConnectionLimits {
  return {
    ...DEFAULT_CONNECTION_LIMITS,
    maxConnections: integer(env, 'EDGE_MAX_CONNECTIONS', DEFAULT_CONNECTION_LIMITS.maxConnections, 1),
    maxPerAddress: integer(env, 'EDGE_MAX_CONNECTIONS_PER_IP', DEFAULT_CONNECTION_LIMITS.maxPerAddress, 1),
  };
}

/**
 * Node's own timeouts, for `serve({ serverOptions })`: Node reads connectionsCheckingInterval only
 * when the server is made (default 30 s; its header and request timeouts are checked that often).
 */
export function connectionServerOptions(limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
}

export interface ConnectionGuard {
  /** Connections open now, all addresses. */
  open(): number;
  /** Connections open now from this address. */
  openFrom(address: string): number;
  /** Connections closed at once because their address had too many. */
  readonly refused: () => number;
  /** Connections closed because their request head did not come in time. */
  readonly timedOut: () => number;
  /** Stops counting (the server's own settings stay). */
  remove(): void;
}

type GuardedServer = HttpServer | Http2Server | Http2SecureServer;

interface Tracked {
  readonly socket: Socket;
  /** Requests started and not yet answered. */
  active: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const keyOf = (socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }) => `${socket.remoteAddress ?? ''}|${socket.remotePort ?? ''}`;

/**
 * Applies the limits to a node:http, node:https or node:http2 server. The server's own header and
 * request timeouts are set too; the guard's own deadline closes a connection that has no request
 * head `headersTimeoutMs` after it opened (after its last response: plus the keep-alive time),
 * without waiting for Node's periodic check, and also bounds a TLS handshake that never ends.
 */
export function guardServer(server: GuardedServer, limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS): ConnectionGuard {
  const http = server as Partial<HttpServer>;
  if ('headersTimeout' in server) {
    http.headersTimeout = limits.headersTimeoutMs;
    http.requestTimeout = limits.requestTimeoutMs;
    http.keepAliveTimeout = limits.keepAliveTimeoutMs;
  }
  server.maxConnections = limits.maxConnections;

  const perAddress = new Map<string, number>();
  const tracked = new Map<string, Tracked>();
  let open = 0;
  let refused = 0;
  let timedOut = 0;

  const arm = (entry: Tracked, ms: number) => {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      if (entry.active > 0) return;
      timedOut += 1;
      entry.socket.destroy();
    }, ms);
    entry.timer.unref();
  };

  const onConnection = (socket: Socket) => {
    const address = plainAddress(socket.remoteAddress ?? 'unknown');
    const count = perAddress.get(address) ?? 0;
    if (count >= limits.maxPerAddress) {
      refused += 1;
      socket.destroy();
      return;
    }
    perAddress.set(address, count + 1);
    open += 1;
    const key = keyOf(socket);
    const entry: Tracked = { socket, active: 0, timer: undefined };
    tracked.set(key, entry);
    arm(entry, limits.headersTimeoutMs);
    socket.once('close', () => {
      clearTimeout(entry.timer);
      if (tracked.get(key) === entry) tracked.delete(key);
      open -= 1;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  };

  // The request head is in: no deadline while it is answered. After the last answer, the next
  // request has the keep-alive time to start and the header time to arrive.
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const entry = tracked.get(keyOf(request.socket));
    if (!entry) return;
    entry.active += 1;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    response.once('close', () => {
      entry.active -= 1;
      if (entry.active === 0 && !entry.socket.destroyed) arm(entry, limits.keepAliveTimeoutMs + limits.headersTimeoutMs);
    });
  };

  server.on('connection', onConnection);
  server.on('request', onRequest);
  return {
    open: () => open,
    openFrom: (address) => perAddress.get(plainAddress(address)) ?? 0,
    refused: () => refused,
    timedOut: () => timedOut,
    remove() {
      server.off('connection', onConnection);
      server.off('request', onRequest);
      for (const entry of tracked.values()) clearTimeout(entry.timer);
    },
  };
}

/**
 * The client's address on Node: the socket's peer. Behind a TLS reverse proxy on this machine
 * (EDGE_BEHIND_PROXY), a request from loopback is the proxy's: the address it appended last to
 * X-Forwarded-For is the client's (earlier entries come from the client and are not trusted).
 */
export function nodeClientAddress(options: { readonly behindProxy: boolean } = { behindProxy: false }): ClientAddress {
  return (c: Context) => {
    let peer: string;
    try {
      peer = plainAddress(getConnInfo(c).remote.address ?? 'unknown');
    } catch {
      return 'unknown';
    }
    if (!options.behindProxy || !isLoopback(peer)) return peer;
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    return last ? plainAddress(last) : peer;
  };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

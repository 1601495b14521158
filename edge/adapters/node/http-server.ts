import { serve, type HttpBindings, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { existsSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { join, relative } from 'node:path';
import type { EdgeApp } from '../../core/edge-ports.js';
import type { Logger } from '../../core/ports.js';
import type { EdgeConfig } from './config.js';
import { connectionServerOptions, guardServer, type ConnectionLimits } from './connection-guard.js';
import { logCertificate, watchTlsFiles, withScheme, type TlsPair } from './tls.js';

// The Node edge's HTTP(S) server: the API, the local CA's certificate, the PWA's files.

export interface NodeHttpServer {
  /** The port it listens on (PORT=0: the one the system chose). */
  readonly port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  readonly config: EdgeConfig;
  readonly limits: ConnectionLimits;
  /** EDGE_TLS_CERT_FILE and its key, read before anything started: HTTPS. */
  readonly tlsPair: TlsPair | undefined;
  /** EDGE_TLS_CA_FILE's certificate, offered at /tls/ca.crt. */
  readonly caCertificate: Uint8Array<ArrayBuffer> | undefined;
  readonly logger: Logger;
}

function rootApp(app: EdgeApp['app'], config: EdgeConfig, caCertificate: Uint8Array<ArrayBuffer> | undefined): Hono<{ Bindings: HttpBindings }> {
  const root = new Hono<{ Bindings: HttpBindings }>();
  if (caCertificate) {
    // The local CA's certificate (public), for tablets to download and trust (`npm run tls:local`).
    const body = caCertificate;
    root.get('/tls/ca.crt', (c) =>
      c.body(body, 200, {
        'content-type': 'application/x-x509-ca-cert',
        'content-disposition': 'attachment; filename="till-local-ca.crt"',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      }),
    );
  }
  root.route('/', app);
  if (existsSync(join(config.webDir, 'index.html'))) {
    const webRoot = relative(process.cwd(), config.webDir) || '.';
    root.use('/*', serveStatic({ root: webRoot }));
    // The till is a single-page app: any other path that is not the API gets its shell.
    root.get('*', serveStatic({ root: webRoot, path: 'index.html' }));
  } else {
    root.get('/', (c) => c.text('The till is not built: run `npm run build`, or use `npm start`.', 503));
  }
  return root;
}

export async function serveEdge(app: EdgeApp['app'], options: ServeOptions): Promise<NodeHttpServer> {
  const { config, limits, tlsPair, logger } = options;
  const root = rootApp(app, config, options.caCertificate);
  // The core decides the Secure cookie and its links from the request URL: https on a TLS socket,
  // or behind the TLS proxy (X-Forwarded-Proto from a loopback peer only).
  const scheme = { tls: tlsPair !== undefined, behindProxy: config.behindProxy };
  const serveRequest = (request: Request, bindings: HttpBindings) => root.fetch(withScheme(request, bindings.incoming.socket.remoteAddress, scheme), bindings);
  const server = await new Promise<ServerType>((resolveServer, rejectServer) => {
    const serveOptions = { fetch: serveRequest as (request: Request, env: unknown) => Promise<Response>, port: config.port, hostname: config.host };
    // HTTP/1.1 over TLS: node:https (the slow-client limits of node:http apply to it as they are).
    const started: ServerType = tlsPair
      ? serve({ ...serveOptions, createServer: createHttpsServer, serverOptions: { ...connectionServerOptions(limits), cert: tlsPair.cert, key: tlsPair.key, minVersion: 'TLSv1.2' } }, () => resolveServer(started))
      : serve({ ...serveOptions, serverOptions: connectionServerOptions(limits) }, () => resolveServer(started));
    // Before the first connection is accepted: header and request timeouts, the connection caps.
    guardServer(started, limits);
    started.once('error', rejectServer);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopWatching: (() => void) | undefined;
  if (tlsPair && config.tls) {
    logCertificate(logger, 'TLS certificate', tlsPair.cert);
    const httpsServer = server as unknown as HttpsServer;
    stopWatching = watchTlsFiles(config.tls, (pair) => httpsServer.setSecureContext({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' }), logger, config.tlsReloadMs);
  }
  return {
    port,
    async close() {
      stopWatching?.();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}

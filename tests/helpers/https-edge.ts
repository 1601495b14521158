import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createLocalCa, issueServerCertificate, type PemPair, type ServerCertificate } from '../../edge/tools/tls-local.js';
import { CHROMIUM } from './browser.js';

// The edge over HTTPS in tests: a local CA and its server certificates (edge/tools/tls-local.ts),
// requests that trust that CA only, the certificate a TLS handshake shows, Chromium with extra flags.

export interface TestTls {
  readonly ca: PemPair;
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  /** A new server certificate from the same CA, written over the files the edge reads. */
  renew(dnsNames?: readonly string[]): Promise<ServerCertificate>;
}

export async function makeTestTls(dir: string, dnsNames: readonly string[] = ['till.shop.lan', 'localhost']): Promise<TestTls & { readonly first: ServerCertificate }> {
  const ca = await createLocalCa({ commonName: 'test local CA' });
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  const caFile = join(dir, 'ca.crt');
  await writeFile(caFile, ca.certPem);
  const renew = async (names: readonly string[] = dnsNames) => {
    const server = await issueServerCertificate(ca, { dnsNames: names, ipAddresses: ['127.0.0.1'] });
    await writeFile(keyFile, server.keyPem, { mode: 0o600 });
    await writeFile(certFile, server.certPem);
    return server;
  };
  const first = await renew();
  return { ca, certFile, keyFile, caFile, renew, first };
}

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  text(): string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * One HTTPS request on a fresh connection (no pooled socket keeps an old certificate), trusting
 * `ca` only. `servername` is the name asked for (SNI, the certificate check and the Host header).
 */
export function httpsRequest(
  url: string,
  options: { ca: string; method?: string; headers?: Record<string, string>; body?: unknown; servername?: string },
): Promise<HttpsAnswer> {
  const target = new URL(url);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.servername ? { host: `${options.servername}:${target.port}` } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers,
        ca: options.ca,
        agent: false,
        ...(options.servername ? { servername: options.servername } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text: () => all.toString('utf8'), json: <T>() => JSON.parse(all.toString('utf8')) as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The serial number of the certificate the edge presents on a new TLS connection (verified against `ca`). */
export function servedSerial(port: number, ca: string, servername = 'till.shop.lan'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername }, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.end();
      resolve(serial);
    });
    socket.on('error', reject);
  });
}

/** A port free right now on loopback (for a URL that must be known before the edge starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Debian's Chromium with the usual quiet flags (as launchChromium) plus `extraArgs`. */
export function launchChromiumWith(extraArgs: readonly string[]): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

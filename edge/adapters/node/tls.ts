import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../../core/env-settings.js';
import type { Logger } from '../../core/ports.js';
import { CERTIFICATE_WARNING_DAYS } from '../../core/boot.js';

// HTTPS from the Node edge (README "Shop network"): the certificate and key files, reloaded when
// they change; the request's scheme behind a TLS reverse proxy; the local CA served for download.

/** A certificate (chain) and its key, PEM, that Node's TLS accepted together. */
export interface TlsPair {
  readonly cert: string;
  readonly key: string;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped), or localhost: addresses only this machine reaches. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

function reason(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') return code;
  return error instanceof Error ? error.message : String(error);
}

/** Reads both files and checks that they make a pair Node's TLS accepts (key contents never in a message). */
export function readTlsPair(files: TlsFiles): TlsPair {
  let cert: string;
  let key: string;
  try {
    cert = readFileSync(files.certFile, 'utf8');
  } catch (error) {
    throw new ConfigError(`EDGE_TLS_CERT_FILE: cannot read ${files.certFile} (${reason(error)})`);
  }
  try {
    key = readFileSync(files.keyFile, 'utf8');
  } catch (error) {
    throw new ConfigError(`EDGE_TLS_KEY_FILE: cannot read ${files.keyFile} (${reason(error)})`);
  }
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`EDGE_TLS_CERT_FILE: ${files.certFile} holds no PEM certificate`);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new ConfigError(`EDGE_TLS_KEY_FILE: ${files.keyFile} holds no PEM private key`);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new ConfigError(`EDGE_TLS_CERT_FILE and EDGE_TLS_KEY_FILE do not make a usable pair (${reason(error)})`);
  }
  return { cert, key };
}

/** The served certificate (the first of the chain): what a log line says about it. */
export function describeCertificate(pem: string, now = Date.now()): { subject: string; names: string; serialNumber: string; notAfter: string; daysLeft: number } {
  const certificate = new X509Certificate(pem);
  const notAfter = new Date(certificate.validTo);
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    names: certificate.subjectAltName ?? '',
    serialNumber: certificate.serialNumber,
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now) / 86_400_000),
  };
}

export function logCertificate(logger: Logger, message: string, pem: string): void {
  const info = describeCertificate(pem);
  logger.info(message, info);
  if (info.daysLeft < 0) logger.error('the TLS certificate has expired: tablets refuse the edge until it is renewed', { notAfter: info.notAfter });
  else if (info.daysLeft < CERTIFICATE_WARNING_DAYS) logger.warn('the TLS certificate expires soon', { notAfter: info.notAfter, daysLeft: info.daysLeft });
}

function signature(files: TlsFiles): string {
  const one = (path: string) => {
    try {
      const s = statSync(path);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'missing';
    }
  };
  return `${one(files.certFile)}|${one(files.keyFile)}`;
}

/**
 * Watches the two files (a stat poll: it survives editors, atomic renames and certbot's symlinks)
 * and hands a new pair to `apply` when they change. A pair that does not load is tried once more
 * on the next tick (the two files are rarely replaced at the same instant), then logged as an
 * error; the certificate in use stays until a good pair arrives.
 */
export function watchTlsFiles(files: TlsFiles, apply: (pair: TlsPair) => void, logger: Logger, intervalMs = 2_000): () => void {
  let seen = signature(files);
  let retry = false;
  const timer = setInterval(() => {
    const now = signature(files);
    if (now === seen && !retry) return;
    const changed = now !== seen;
    seen = now;
    try {
      const pair = readTlsPair(files);
      apply(pair);
      retry = false;
      logCertificate(logger, 'TLS certificate reloaded', pair.cert);
    } catch (error) {
      if (changed && !retry) {
        retry = true;
        return;
      }
      retry = false;
      logger.error('TLS certificate files changed but do not load: the previous certificate stays in use', { error: error instanceof Error ? error.message : String(error) });
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The first value of X-Forwarded-Proto (a proxy chain lists the client's side first). */
function forwardedProto(headers: Headers): string | undefined {
  return headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
}

/**
 * The request as the core sees it: `https://` when this socket is TLS, or when the edge sits
 * behind a TLS reverse proxy (EDGE_BEHIND_PROXY) and a loopback peer says X-Forwarded-Proto https.
 * The core decides the Secure cookie and its links from this URL. Anything else is left alone.
 */
export function withScheme(request: Request, peer: string | undefined, options: { readonly tls: boolean; readonly behindProxy: boolean }): Request {
  if (!request.url.startsWith('http:')) return request;
  const https = options.tls || (options.behindProxy && peer !== undefined && isLoopback(peer) && forwardedProto(request.headers) === 'https');
  if (!https) return request;
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(`https:${request.url.slice('http:'.length)}`, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    ...(hasBody ? { body: request.body, duplex: 'half' } : {}),
  } as RequestInit);
}

/** EDGE_TLS_CA_FILE: the local CA's certificate, offered to tablets as DER (what every platform's installer takes). */
export function readCaCertificate(path: string): Uint8Array<ArrayBuffer> {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`EDGE_TLS_CA_FILE: cannot read ${path} (${reason(error)})`);
  }
  if (pem.includes('PRIVATE KEY')) throw new ConfigError(`EDGE_TLS_CA_FILE: ${path} holds a private key; give the CA's certificate (ca.crt), never its key`);
  try {
    const certificate = new X509Certificate(pem);
    if (!certificate.ca) throw new ConfigError(`EDGE_TLS_CA_FILE: ${path} is not a CA certificate`);
    return Uint8Array.from(certificate.raw);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`EDGE_TLS_CA_FILE: ${path} holds no PEM certificate (${reason(error)})`);
  }
}

import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { CREDENTIAL_FAILURES, FailureLimit, type RequestRateLimit } from '../auth/rate-limit.js';
import { sameString, sha256Hex } from '../auth/tokens.js';
import type { AccessStore, DeviceRecord } from '../ports.js';

// Who is calling: the admin (EDGE_ADMIN_TOKEN, as a Bearer token) or a paired device (its token as
// a Bearer token, or the HttpOnly cookie the pairing set, which EventSource sends by itself).

export const DEVICE_COOKIE = 'till_device';

export type Principal = { readonly kind: 'admin' } | { readonly kind: 'device'; readonly device: DeviceRecord; readonly viaCookie: boolean };

export type EdgeEnv = { Variables: { principal: Principal; requestId: string } };

/** The address a request comes from, as the adapter knows it (failed attempts are counted per address). */
export type ClientAddress = (c: Context) => string;

export interface AuthOptions {
  readonly access: AccessStore;
  readonly adminToken: string;
  readonly rateLimit: RequestRateLimit;
  /**
   * Routes that need no credential, as "METHOD /path" (HEAD counts as GET): only that method; any
   * other method on the path needs a credential like every route. A bare "/path" (the older form,
   * for pairing) is read as "POST /path".
   */
  readonly open: ReadonlySet<string>;
  /** Default: the socket's address on Node, Cloudflare's header on Workers (socketAddress). */
  readonly clientAddress?: ClientAddress | undefined;
  /** Unknown credentials per client address (default CREDENTIAL_FAILURES). */
  readonly failures?: FailureLimit | undefined;
  readonly now?: (() => number) | undefined;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) is 192.0.2.1. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The peer's address where the runtime shows it without trusting the client: the socket of
 * @hono/node-server's bindings (c.env.incoming), or, on a request Cloudflare made (it carries
 * `cf`), the `cf-connecting-ip` header Cloudflare sets. Otherwise "unknown" (one shared count).
 */
export const socketAddress: ClientAddress = (c) => {
  const env: unknown = c.env;
  if (typeof env === 'object' && env !== null) {
    const bindings = env as { incoming?: { socket?: { remoteAddress?: unknown } }; server?: { incoming?: { socket?: { remoteAddress?: unknown } } } };
    const address = (bindings.server ?? bindings).incoming?.socket?.remoteAddress;
    if (typeof address === 'string' && address !== '') return plainAddress(address);
  }
  if ((c.req.raw as { cf?: unknown }).cf !== undefined) {
    const address = c.req.header('cf-connecting-ip');
    if (address) return address;
  }
  return 'unknown';
};

/** 429 for an address that failed too often: Retry-After in seconds, and the same in the body. */
export function tooManyAttempts(c: Context, retryAfterSeconds: number, message: string) {
  c.header('Retry-After', String(retryAfterSeconds));
  return c.json({ error: { code: 'too_many_attempts', retryAfterSeconds, message } }, 429);
}

export function principalName(principal: Principal): string {
  return principal.kind === 'admin' ? 'admin' : `device:${principal.device.id}`;
}

export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'admin' || principal.device.role === 'admin';
}

export function mayUseTerminal(principal: Principal, tid: string): boolean {
  if (principal.kind === 'admin' || principal.device.role === 'admin') return true;
  return principal.device.terminals.includes('*') || principal.device.terminals.includes(tid);
}

type Identified = { readonly kind: 'known'; readonly principal: Principal } | { readonly kind: 'revoked' } | { readonly kind: 'unknown' };

function credentialOf(c: Context): { token: string; bearer: boolean } | undefined {
  const header = c.req.header('authorization');
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (bearer) return { token: bearer, bearer: true };
  const cookie = getCookie(c, DEVICE_COOKIE);
  return cookie ? { token: cookie, bearer: false } : undefined;
}

async function identify(credential: { token: string; bearer: boolean }, options: AuthOptions): Promise<Identified> {
  if (credential.bearer && options.adminToken !== '' && sameString(credential.token, options.adminToken)) return { kind: 'known', principal: { kind: 'admin' } };
  const device = await options.access.deviceByTokenHash(await sha256Hex(credential.token));
  if (!device) return { kind: 'unknown' };
  // A revoked device's token is not a guess: it is refused, not counted.
  if (device.revokedAt !== undefined) return { kind: 'revoked' };
  return { kind: 'known', principal: { kind: 'device', device, viaCookie: !credential.bearer } };
}

/** Same-origin check for state-changing requests: required with the cookie, checked when sent. */
function originAllowed(c: Context, principal: Principal): boolean {
  if (!UNSAFE.has(c.req.method)) return true;
  const origin = c.req.header('origin');
  if (origin === undefined) return !(principal.kind === 'device' && principal.viaCookie);
  const host = c.req.header('host');
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Whether this method and path need no credential (see AuthOptions.open). */
export function isOpenRoute(open: ReadonlySet<string>, method: string, path: string): boolean {
  const asked = method === 'HEAD' ? 'GET' : method;
  return open.has(`${asked} ${path}`) || (asked === 'POST' && open.has(path));
}

const unauthorized = (c: Context) => c.json({ error: { code: 'unauthorized', message: 'This till is not paired, or its pairing was revoked.' } }, 401);

/**
 * Every request but the open routes carries a known credential. An address that sent too many
 * unknown credentials is refused (429, Retry-After) before its next one is even looked at.
 */
export function authenticate(options: AuthOptions): MiddlewareHandler<EdgeEnv> {
  const clientAddress = options.clientAddress ?? socketAddress;
  const failures = options.failures ?? new FailureLimit(CREDENTIAL_FAILURES, options.now ?? (() => Date.now()));
  return async (c, next) => {
    if (isOpenRoute(options.open, c.req.method, c.req.path)) return next();
    const credential = credentialOf(c);
    if (!credential) return unauthorized(c);
    const attempt = failures.attempt(clientAddress(c));
    if (attempt.retryAfterSeconds !== undefined) return tooManyAttempts(c, attempt.retryAfterSeconds, 'Too many unknown credentials from this address. Wait before trying again.');
    let identified: Identified = { kind: 'unknown' };
    try {
      identified = await identify(credential, options);
    } finally {
      attempt.settle(identified.kind === 'unknown');
    }
    if (identified.kind !== 'known') return unauthorized(c);
    const principal = identified.principal;
    if (!originAllowed(c, principal)) return c.json({ error: { code: 'bad_origin', message: 'The request does not come from this till.' } }, 403);
    if (principal.kind === 'device') {
      const retryAfter = options.rateLimit.take(principal.device.id);
      if (retryAfter !== undefined) {
        c.header('Retry-After', String(retryAfter));
        return c.json({ error: { code: 'rate_limited', message: 'Too many requests from this device. Wait a moment.' } }, 429);
      }
    }
    c.set('principal', principal);
    return next();
  };
}

/** The caller, or undefined on a route reached without a credential (answered 401 by the guards below). */
function principalOf<E extends EdgeEnv>(c: Context<E>): Principal | undefined {
  return c.get('principal') as Principal | undefined;
}

export function requireAdmin<E extends EdgeEnv>(c: Context<E>) {
  const principal = principalOf(c);
  if (!principal) return unauthorized(c);
  return isAdmin(principal) ? undefined : c.json({ error: { code: 'admin_required', message: 'Only an admin can do this.' } }, 403);
}

export function terminalForbidden<E extends EdgeEnv>(c: Context<E>, tid: string) {
  const principal = principalOf(c);
  if (!principal) return unauthorized(c);
  return mayUseTerminal(principal, tid)
    ? undefined
    : c.json({ error: { code: 'terminal_not_allowed', field: 'tid', rule: 'bound_terminal', message: `This device may not use terminal ${tid}.` } }, 403);
}

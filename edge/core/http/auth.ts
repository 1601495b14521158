import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { RequestRateLimit } from '../auth/rate-limit.js';
import { sameString, sha256Hex } from '../auth/tokens.js';
import type { AccessStore, DeviceRecord } from '../ports.js';

// Who is calling: the admin (EDGE_ADMIN_TOKEN, as a Bearer token) or a paired device (its token as
// a Bearer token, or the HttpOnly cookie the pairing set, which EventSource sends by itself).

export const DEVICE_COOKIE = 'till_device';

export type Principal = { readonly kind: 'admin' } | { readonly kind: 'device'; readonly device: DeviceRecord; readonly viaCookie: boolean };

export type EdgeEnv = { Variables: { principal: Principal; requestId: string } };

export interface AuthOptions {
  readonly access: AccessStore;
  readonly adminToken: string;
  readonly rateLimit: RequestRateLimit;
  /** Paths that need no credential. */
  readonly open: ReadonlySet<string>;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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

async function identify(c: Context, options: AuthOptions): Promise<Principal | undefined> {
  const header = c.req.header('authorization');
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const token = bearer ?? getCookie(c, DEVICE_COOKIE);
  if (!token) return undefined;
  if (bearer && options.adminToken !== '' && sameString(bearer, options.adminToken)) return { kind: 'admin' };
  const device = await options.access.deviceByTokenHash(await sha256Hex(token));
  if (!device || device.revokedAt !== undefined) return undefined;
  return { kind: 'device', device, viaCookie: bearer === undefined };
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

export function authenticate(options: AuthOptions): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    if (options.open.has(c.req.path)) return next();
    const principal = await identify(c, options);
    if (!principal) return c.json({ error: { code: 'unauthorized', message: 'This till is not paired, or its pairing was revoked.' } }, 401);
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

export function requireAdmin(c: Context<EdgeEnv>) {
  return isAdmin(c.get('principal')) ? undefined : c.json({ error: { code: 'admin_required', message: 'Only an admin can do this.' } }, 403);
}

export function terminalForbidden(c: Context<EdgeEnv>, tid: string) {
  return mayUseTerminal(c.get('principal'), tid)
    ? undefined
    : c.json({ error: { code: 'terminal_not_allowed', field: 'tid', rule: 'bound_terminal', message: `This device may not use terminal ${tid}.` } }, 403);
}

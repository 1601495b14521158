import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import QRCode from 'qrcode';
import { checkDeviceName, checkTerminalList, DevicePatchBody, PairBody, PairingCodeBody } from '../../../shared/api.js';
import type { AuditLog } from '../auth/audit-log.js';
import { FailureLimit, PAIRING_FAILURES, type Attempt, type RequestRateLimit } from '../auth/rate-limit.js';
import type { Revocations } from '../auth/revocations.js';
import { createPairingCode } from '../auth/pairing.js';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import type { AccessStore, Clock, DeviceRecord } from '../ports.js';
import { DEVICE_COOKIE, principalName, requireAdmin, socketAddress, tooManyAttempts, type ClientAddress, type EdgeEnv } from './auth.js';
import { badRequest, readJson } from './validation.js';

// Pairing: an admin makes a one-time, short-lived code; a tablet redeems it for its own credential.

export interface DeviceRouteDeps {
  /** EDGE_PUBLIC_URL: pairing links are built from it, never from the request's Host header. */
  readonly publicUrl?: string | undefined;
  readonly access: AccessStore;
  readonly audit: AuditLog;
  readonly revocations: Revocations;
  readonly clock: Clock;
  /** Failed pairing codes per client address, so codes cannot be guessed (default PAIRING_FAILURES). */
  readonly pairingFailures?: FailureLimit | undefined;
  /** The address a request comes from (default socketAddress). */
  readonly clientAddress?: ClientAddress | undefined;
  /**
   * @deprecated Not used: one count for everybody let anyone refuse the admin's pairing. Failed
   * pairing is counted per address (pairingFailures).
   */
  readonly pairingAttempts?: RequestRateLimit | undefined;
}

export const PAIRING_TTL_DEFAULT_SECONDS = 600;

/** What a device looks like from outside: never its token hash. */
export function publicDevice(device: DeviceRecord) {
  const { tokenHash: _hidden, ...rest } = device;
  return rest;
}

/** Secure over https (TLS here, or a proxy's), and on any address but this machine's. */
function secureCookie(raw: string): boolean {
  const url = new URL(raw);
  if (url.protocol === 'https:') return true;
  const host = url.hostname;
  return !(host === 'localhost' || host === '127.0.0.1' || host === '[::1]');
}

export function deviceRoutes(deps: DeviceRouteDeps): Hono<EdgeEnv> {
  const { access, audit, clock } = deps;
  const clientAddress = deps.clientAddress ?? socketAddress;
  const failures = deps.pairingFailures ?? new FailureLimit(PAIRING_FAILURES, () => clock.now());
  const routes = new Hono<EdgeEnv>();

  routes.post('/pair', async (c) => {
    // An address that typed too many wrong codes waits; its next code is not even looked at. Other
    // addresses (the admin's tablet) pair as usual.
    const attempt = failures.attempt(clientAddress(c));
    if (attempt.retryAfterSeconds !== undefined) return tooManyAttempts(c, attempt.retryAfterSeconds, 'Too many wrong pairing codes from this address. Wait before trying again.');
    try {
      return await pair(c, attempt);
    } finally {
      // Anything but a wrong code (a bad body, a store error) is no guess.
      attempt.settle(false);
    }
  });

  const pair = async (c: Context<EdgeEnv>, attempt: Attempt) => {
    const body = await readJson(c, PairBody);
    if (!body.ok) return badRequest(c, body.error);
    const name = checkDeviceName(body.value.name);
    if (!name.ok) return badRequest(c, name.error);
    const token = randomToken();
    const tokenHash = await sha256Hex(token);
    const now = clock.now();
    const device = await access.redeemPairingCode(await sha256Hex(body.value.code.trim().toUpperCase()), now, {
      id: randomToken(9),
      name: name.value,
      tokenHash,
      createdAt: new Date(now).toISOString(),
      revokedAt: undefined,
    });
    if (!device) {
      attempt.settle(true);
      await audit.record({ actor: 'anonymous', action: 'device.pair', ruid: undefined, result: 'refused' });
      return c.json({ error: { code: 'bad_code', field: 'code', rule: 'valid', message: 'This pairing code is wrong, used or expired. Ask for a new one.' } }, 400);
    }
    const paired = device;
    await audit.record({ actor: `device:${paired.id}`, action: 'device.pair', ruid: undefined, result: 'ok' });
    setCookie(c, DEVICE_COOKIE, token, { httpOnly: true, secure: secureCookie(c.req.url), sameSite: 'Strict', path: '/', maxAge: 400 * 86_400 });
    return c.json({ device: publicDevice(paired), token }, 201);
  };

  routes.get('/me', (c) => {
    const principal = c.get('principal');
    return c.json(principal.kind === 'admin' ? { kind: 'admin' } : { kind: 'device', device: publicDevice(principal.device) });
  });

  routes.post('/pairing-codes', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const body = await readJson(c, PairingCodeBody);
    if (!body.ok) return badRequest(c, body.error);
    const terminals = checkTerminalList(body.value.terminals ?? ['*']);
    if (!terminals.ok) return badRequest(c, terminals.error);
    const ttl = body.value.ttlSeconds ?? PAIRING_TTL_DEFAULT_SECONDS;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) return badRequest(c, { field: 'ttlSeconds', rule: 'range', message: 'ttlSeconds must be a whole number from 1 to 86400' });
    const { code, expiresAt } = await createPairingCode(access, body.value.role ?? 'till', terminals.value, ttl, clock.now());
    await audit.record({ actor: principalName(c.get('principal')), action: 'pairing_code.create', ruid: undefined, result: body.value.role ?? 'till' });
    const link = `${deps.publicUrl ?? new URL(c.req.url).origin}/pair?code=${code}`;
    const qrSvg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return c.json({ code, link, qrSvg, expiresAt: new Date(expiresAt).toISOString() }, 201);
  });

  routes.get('/', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    return c.json({ devices: (await access.listDevices()).map(publicDevice) });
  });

  routes.patch('/:id', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const device = await access.getDevice(c.req.param('id'));
    if (!device) return c.json({ error: { code: 'not_found', message: 'no device with this id' } }, 404);
    const body = await readJson(c, DevicePatchBody);
    if (!body.ok) return badRequest(c, body.error);
    let next = device;
    if (body.value.name !== undefined) {
      const name = checkDeviceName(body.value.name);
      if (!name.ok) return badRequest(c, name.error);
      next = { ...next, name: name.value };
    }
    if (body.value.terminals !== undefined) {
      const terminals = checkTerminalList(body.value.terminals);
      if (!terminals.ok) return badRequest(c, terminals.error);
      next = { ...next, terminals: terminals.value };
    }
    await access.saveDevice(next);
    await audit.record({ actor: principalName(c.get('principal')), action: 'device.update', ruid: undefined, result: device.id });
    return c.json({ device: publicDevice(next) });
  });

  routes.post('/:id/revoke', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const device = await access.getDevice(c.req.param('id'));
    if (!device) return c.json({ error: { code: 'not_found', message: 'no device with this id' } }, 404);
    const revoked = { ...device, revokedAt: device.revokedAt ?? new Date(clock.now()).toISOString() };
    await access.saveDevice(revoked);
    deps.revocations.revoke(device.id);
    await audit.record({ actor: principalName(c.get('principal')), action: 'device.revoke', ruid: undefined, result: device.id });
    return c.json({ device: publicDevice(revoked) });
  });

  return routes;
}

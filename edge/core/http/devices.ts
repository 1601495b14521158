import { Hono, type MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import QRCode from 'qrcode';
import type { InferOutput } from 'valibot';
import { checkDeviceName, checkTerminalList, DevicePatchBody, PairBody, PairingCodeBody } from '../../../shared/api.js';
import { accept, refuse, type Checked } from '../../../shared/result.js';
import type { AuditLog } from '../auth/audit-log.js';
import { FailureLimit, PAIRING_FAILURES, type Attempt, type RequestRateLimit } from '../auth/rate-limit.js';
import type { Revocations } from '../auth/revocations.js';
import { createPairingCode } from '../auth/pairing.js';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import type { AccessStore, Clock, DeviceRecord } from '../ports.js';
import { adminOnly } from './access.js';
import { DEVICE_COOKIE, principalName, socketAddress, tooManyAttempts, type ClientAddress, type EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';
import { jsonBody } from './validation.js';

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

/** A pairing request's body: the name by its rule (the code is looked up as typed). */
function checkPair(body: InferOutput<typeof PairBody>): Checked<InferOutput<typeof PairBody>> {
  const name = checkDeviceName(body.name);
  return name.ok ? accept({ ...body, name: name.value }) : name;
}

/** A pairing code's terminals ("*" when none) and lifetime (the default when none), each by its rule. */
function checkPairingCode(body: InferOutput<typeof PairingCodeBody>): Checked<{ role: 'till' | 'admin'; terminals: string[]; ttl: number }> {
  const terminals = checkTerminalList(body.terminals ?? ['*']);
  if (!terminals.ok) return terminals;
  const ttl = body.ttlSeconds ?? PAIRING_TTL_DEFAULT_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) return refuse('ttlSeconds', 'range', 'ttlSeconds must be a whole number from 1 to 86400');
  return accept({ role: body.role ?? 'till', terminals: terminals.value, ttl });
}

/** A rename and a binding, each by its rule, name first. */
function checkDevicePatch(body: InferOutput<typeof DevicePatchBody>): Checked<{ name?: string; terminals?: string[] }> {
  let patch: { name?: string; terminals?: string[] } = {};
  if (body.name !== undefined) {
    const name = checkDeviceName(body.name);
    if (!name.ok) return name;
    patch = { ...patch, name: name.value };
  }
  if (body.terminals !== undefined) {
    const terminals = checkTerminalList(body.terminals);
    if (!terminals.ok) return terminals;
    patch = { ...patch, terminals: terminals.value };
  }
  return accept(patch);
}

const DEVICE = { description: 'The device', schema: { type: 'object', properties: { device: { $ref: '#/components/schemas/Device' } } } };
const NO_DEVICE = { description: 'not_found: no device with this id' };

type PairingEnv = { Variables: EdgeEnv['Variables'] & { attempt: Attempt } };
type DeviceEnv = { Variables: EdgeEnv['Variables'] & { device: DeviceRecord } };

export function deviceRoutes(deps: DeviceRouteDeps) {
  const { access, audit, clock } = deps;
  const clientAddress = deps.clientAddress ?? socketAddress;
  const failures = deps.pairingFailures ?? new FailureLimit(PAIRING_FAILURES, () => clock.now());

  const pairingLimit: MiddlewareHandler<PairingEnv> = async (c, next) => {
    // An address that typed too many wrong codes waits; its next code is not even looked at. Other
    // addresses (the admin's tablet) pair as usual.
    const attempt = failures.attempt(clientAddress(c));
    if (attempt.retryAfterSeconds !== undefined) return tooManyAttempts(c, attempt.retryAfterSeconds, 'Too many wrong pairing codes from this address. Wait before trying again.');
    c.set('attempt', attempt);
    try {
      await next();
    } finally {
      // Anything but a wrong code (a bad body, a store error) is no guess.
      attempt.settle(false);
    }
  };

  // The device of the path's :id, looked up before the body is read (an unknown device is 404 whatever the body).
  const deviceById: MiddlewareHandler<DeviceEnv> = async (c, next) => {
    const device = await access.getDevice(c.req.param('id') ?? '');
    if (!device) return c.json({ error: { code: 'not_found', message: 'no device with this id' } }, 404);
    c.set('device', device);
    await next();
  };

  const routes = new Hono<EdgeEnv>()
    .post(
      '/pair',
      describe({
        summary:
          'The one route without a credential: redeem a one-time pairing code with a name for this device; answers the device and its token, and sets the till_device cookie. Failed attempts are limited (429)',
        open: true,
        responses: {
          '201': { description: 'Paired: the device and its token', schema: { type: 'object', properties: { device: { $ref: '#/components/schemas/Device' }, token: { type: 'string' } } } },
          '400': { description: 'bad_code, or a name that breaks a rule' },
          '429': { description: 'rate_limited' },
        },
      }),
      pairingLimit,
      jsonBody('Pair', PairBody, checkPair),
      async (c) => {
        const body = c.req.valid('json');
        const token = randomToken();
        const tokenHash = await sha256Hex(token);
        const now = clock.now();
        const device = await access.redeemPairingCode(await sha256Hex(body.code.trim().toUpperCase()), now, {
          id: randomToken(9),
          name: body.name,
          tokenHash,
          createdAt: new Date(now).toISOString(),
          revokedAt: undefined,
        });
        if (!device) {
          c.get('attempt').settle(true);
          await audit.record({ actor: 'anonymous', action: 'device.pair', ruid: undefined, result: 'refused' });
          return c.json({ error: { code: 'bad_code', field: 'code', rule: 'valid', message: 'This pairing code is wrong, used or expired. Ask for a new one.' } }, 400);
        }
        await audit.record({ actor: `device:${device.id}`, action: 'device.pair', ruid: undefined, result: 'ok' });
        setCookie(c, DEVICE_COOKIE, token, { httpOnly: true, secure: secureCookie(c.req.url), sameSite: 'Strict', path: '/', maxAge: 400 * 86_400 });
        return c.json({ device: publicDevice(device), token }, 201);
      },
    )
    .get('/me', describe({ summary: 'Who is calling: {kind: "admin"} or {kind: "device", device}', responses: { '200': { description: 'The caller' } } }), (c) => {
      const principal = c.get('principal');
      return c.json(principal.kind === 'admin' ? { kind: 'admin' as const } : { kind: 'device' as const, device: publicDevice(principal.device) });
    })
    .post(
      '/pairing-codes',
      describe({
        summary: 'Admin: a one-time pairing code (10 characters, 10 minutes by default) for a till or admin device bound to terminals, with its link and a QR code (SVG)',
        responses: {
          '201': {
            description: 'The code, its link and QR code',
            schema: { type: 'object', properties: { code: { type: 'string' }, link: { type: 'string' }, qrSvg: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } },
          },
        },
      }),
      adminOnly,
      jsonBody('PairingCode', PairingCodeBody, checkPairingCode),
      async (c) => {
        const { role, terminals, ttl } = c.req.valid('json');
        const { code, expiresAt } = await createPairingCode(access, role, terminals, ttl, clock.now());
        await audit.record({ actor: principalName(c.get('principal')), action: 'pairing_code.create', ruid: undefined, result: role });
        const link = `${deps.publicUrl ?? new URL(c.req.url).origin}/pair?code=${code}`;
        const qrSvg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
        return c.json({ code, link, qrSvg, expiresAt: new Date(expiresAt).toISOString() }, 201);
      },
    )
    .get(
      '/',
      describe({
        summary: 'Admin: the paired devices (never their token hashes)',
        responses: { '200': { description: 'The devices', schema: { type: 'object', properties: { devices: { type: 'array', items: { $ref: '#/components/schemas/Device' } } } } } },
      }),
      adminOnly,
      async (c) => c.json({ devices: (await access.listDevices()).map(publicDevice) }),
    )
    .patch(
      '/:id',
      describe({ summary: 'Admin: rename a device or bind it to terminals', responses: { '200': DEVICE, '404': NO_DEVICE } }),
      adminOnly,
      deviceById,
      jsonBody('DevicePatch', DevicePatchBody, checkDevicePatch),
      async (c) => {
        const device = c.get('device');
        const next = { ...device, ...c.req.valid('json') };
        await access.saveDevice(next);
        await audit.record({ actor: principalName(c.get('principal')), action: 'device.update', ruid: undefined, result: device.id });
        return c.json({ device: publicDevice(next) });
      },
    )
    .post(
      '/:id/revoke',
      describe({ summary: 'Admin: revoke a device: its next request is refused and its open event streams close', responses: { '200': DEVICE, '404': NO_DEVICE } }),
      adminOnly,
      deviceById,
      async (c) => {
        const device = c.get('device');
        const revoked = { ...device, revokedAt: device.revokedAt ?? new Date(clock.now()).toISOString() };
        await access.saveDevice(revoked);
        deps.revocations.revoke(device.id);
        await audit.record({ actor: principalName(c.get('principal')), action: 'device.revoke', ruid: undefined, result: device.id });
        return c.json({ device: publicDevice(revoked) });
      },
    );
  return routes;
}

import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import {
  checkPaymentInput,
  checkProductInput,
  checkRefundInput,
  checkTerminalInput,
  CreatePaymentBody,
  CreateRefundBody,
  CreateTerminalBody,
  type InFlightSummary,
  ProductBody,
} from '../../shared/api.js';
import { type Cents } from '../../shared/money.js';
import { isInFlight, type Payment } from '../../shared/payments.js';
import { checkRuid, checkTid } from '../../shared/validation.js';
import type { AuditHead } from './auth/audit.js';
import { AuditLog } from './auth/audit-log.js';
import { placeOf, sortedProducts } from './catalogue.js';
import type { ShopSettings } from './env-settings.js';
import { RequestRateLimit } from './auth/rate-limit.js';
import { Revocations } from './auth/revocations.js';
import { authenticate, type ClientAddress, mayUseTerminal, principalName, requireAdmin, terminalForbidden, type EdgeEnv } from './http/auth.js';
import { deviceRoutes } from './http/devices.js';
import { lanRoutes } from './http/lan.js';
import { ledgerRoutes } from './http/ledger.js';
import { shopProfile, shopRoutes } from './http/shop.js';
import type { ReceiptOptions } from './lan/iqom-xml.js';
import type { LanLinks } from './lan/lan-link.js';
import { LanPaymentService } from './lan/lan-payments.js';
import { checkRefundable } from './payments/refundable.js';
import { limitRefusal, limitsFor } from './http/sale-access.js';
import { openApiDocument } from './http/openapi.js';
import { paymentEventStream } from './http/sse.js';
import { badRequest, readJson } from './http/validation.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { MyposGateway } from './mypos/gateway.js';
import type { MachineTimings, PaymentRecord } from './payments/machine.js';
import { PaymentProcessor, type CreateResult } from './payments/processor.js';
import { myposProfileRoutes } from './http/mypos-profile.js';
import type { ProtocolService } from './mypos/protocol-service.js';
import type { AccessStore, CatalogueStore, Clock, EventBus, LedgerStore, Logger, PaymentStore, Scheduler } from './ports.js';
import { DEFAULT_TERMINAL_WATCH, TerminalService, type TerminalWatchTimings } from './terminals.js';

export interface EdgePorts {
  readonly store: PaymentStore;
  readonly access: AccessStore;
  readonly catalogue: CatalogueStore;
  readonly ledger: LedgerStore;
  readonly gateway: MyposGateway;
  /** TCP links to LAN terminals (the Node adapter); a runtime without sockets has no LAN terminals. */
  readonly lanLinks: LanLinks;
  readonly bus: EventBus;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newRuid: () => string;
  /** The protocol profile in use and the doctor (GET /api/mypos/profile, POST /api/mypos/doctor). */
  readonly protocol?: ProtocolService;
  /** What GET /api/health reports to an admin beyond the store: mode, myPOS host, certificates, clock, protocol. */
  readonly health: () => Promise<Record<string, unknown>>;
  /**
   * The address a request comes from, for the limits on failed pairing and unknown credentials
   * (Node: the socket, or the proxy's X-Forwarded-For behind EDGE_BEHIND_PROXY; Workers:
   * cf-connecting-ip). Default: the socket where the runtime shows it.
   */
  readonly clientAddress?: ClientAddress | undefined;
  /**
   * The audit lines' HMAC key (importAuditKey of EDGE_AUDIT_KEY, or of the Node edge's audit-key
   * file). Both adapters set it; without it lines carry no MAC (and a warning is logged).
   */
  readonly auditKey?: CryptoKey | undefined;
  /** Where the audit chain's end is appended at every line (Node: audit-head.log); Workers have none. */
  readonly auditHead?: AuditHead | undefined;
  readonly config: {
    readonly capCents: Cents;
    readonly ssePingMs: number;
    readonly timings: MachineTimings;
    readonly version: string;
    /** EDGE_ADMIN_TOKEN: the admin's Bearer credential. */
    readonly adminToken: string;
    /** The shop currency and the give-back limits of devices that are not admins. */
    readonly shop: ShopSettings;
    /** Requests a minute per device. */
    readonly deviceRateLimit: number;
    /** Which receipts a LAN terminal prints. */
    readonly lanReceipts: ReceiptOptions;
    /** The check for a typed subscription code (default every 5 s, for 10 minutes). */
    readonly terminalWatch?: TerminalWatchTimings;
    /** EDGE_PUBLIC_URL (Node): the origin of pairing links, never the request's Host header. */
    readonly publicUrl?: string | undefined;
  };
}

export interface EdgeApp {
  readonly app: Hono<EdgeEnv>;
  readonly processor: PaymentProcessor;
  readonly lan: LanPaymentService;
  readonly audit: AuditLog;
  /** Terminal setup; its watchers resume at start (Node). */
  readonly terminals: TerminalService;
  readonly protocol: ProtocolService | undefined;
}

// The till's own files only; no inline script. frame-ancestors 'none': never framed.
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const MAX_BODY_BYTES = 64 * 1024;

/** The edge's HTTP API on Hono, Web Standards only: the Node and Workers adapters both serve it. */
export function createApp(ports: EdgePorts): EdgeApp {
  const { store, bus, logger, config } = ports;
  const locks = new KeyedMutex();
  const processor = new PaymentProcessor({ ...ports, locks, timings: config.timings, capCents: config.capCents });
  const lan = new LanPaymentService({ store, bus, clock: ports.clock, logger, locks, links: ports.lanLinks, receipts: config.lanReceipts });
  const terminals = new TerminalService({ ...ports, watch: config.terminalWatch ?? DEFAULT_TERMINAL_WATCH });
  const audit = new AuditLog(ports.access, ports.clock, logger, { key: ports.auditKey, head: ports.auditHead });
  const revocations = new Revocations();
  const now = () => ports.clock.now();
  const app = new Hono<EdgeEnv>();

  app.use('*', requestId());
  app.use('*', secureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, referrerPolicy: 'no-referrer', xFrameOptions: 'DENY', xContentTypeOptions: 'nosniff' }));
  app.use('*', async (c, next) => {
    const started = Date.now();
    await next();
    logger.info('request', { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - started });
  });
  app.use(
    '/api/*',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: { code: 'too_large', field: 'body', rule: 'max_size', message: 'the body must be at most 64 KB' } }, 413) }),
  );
  app.use(
    '/api/*',
    authenticate({ access: ports.access, adminToken: config.adminToken, rateLimit: new RequestRateLimit(config.deviceRateLimit, now), open: new Set(['POST /api/devices/pair']), clientAddress: ports.clientAddress }),
  );
  app.route('/api/devices', deviceRoutes({ access: ports.access, audit, revocations, clock: ports.clock, clientAddress: ports.clientAddress, publicUrl: config.publicUrl }));
  app.route('/api', lanRoutes({ store, lan, processor, audit, capCents: config.capCents, respond: (c, result) => respondCreated(c, result) }));
  const profile = shopProfile(ports.catalogue, config.shop);
  app.route('/api', ledgerRoutes({ ledger: ports.ledger, payments: store, audit, clock: ports.clock, capCents: config.capCents, shop: config.shop, profile }));
  if (ports.protocol) {
    const protocol = ports.protocol;
    // A profile the doctor saved elsewhere (the command line, another Workers object) is used from
    // the next payment on: one store read per payment.
    const refreshProfile: MiddlewareHandler<EdgeEnv> = async (c, next) => {
      if (c.req.method === 'POST') await protocol.refresh();
      await next();
    };
    app.use('/api/payments', refreshProfile);
    app.use('/api/refunds', refreshProfile);
    app.route('/api', myposProfileRoutes({ protocol, record: async (c, action, result) => void (await record(c, action, undefined, result)) }));
  }
  app.route('/api', shopRoutes({ catalogue: ports.catalogue, ledger: ports.ledger, audit, clock: ports.clock, profile }));
  app.onError((error, c) => {
    logger.error('unhandled error', { requestId: c.get('requestId'), path: c.req.path, error: error.message });
    return c.json({ error: { code: 'internal', message: 'Something went wrong on the edge. The payment state is safe; try again.' } }, 500);
  });

  // For a monitor, without a credential: whether the edge and its store answer, nothing more.
  app.get('/healthz', async (c) => {
    const storeOk = await store.ping().catch(() => false);
    return c.json({ ok: storeOk, store: storeOk }, storeOk ? 200 : 503);
  });

  // The details (mode, myPOS host, certificates, clock offset, protocol sources, version) for an admin.
  app.get('/api/health', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const storeOk = await store.ping().catch(() => false);
    const rest = await ports.health();
    return c.json({ ...rest, ok: storeOk && rest.ok !== false, store: storeOk, version: config.version }, storeOk ? 200 : 503);
  });

  app.get('/api/openapi.json', (c) => c.json(openApiDocument(config.version)));

  const record = (c: Context<EdgeEnv>, action: string, ruid: string | undefined, result: string) => audit.record({ actor: principalName(c.get('principal')), action, ruid, result });

  /** The payment a busy terminal is on, as data for the till (its words are the till's own). */
  const inFlightSummary = async (ruid: string): Promise<InFlightSummary | undefined> => {
    const found = await store.getPayment(ruid);
    if (!found) return undefined;
    const { amount, currency, createdAt } = found.payment;
    return { ruid, amount, currency, createdAt };
  };

  const respondCreated = async (c: Context<EdgeEnv>, result: CreateResult) => {
    switch (result.kind) {
      case 'created':
        return c.json({ payment: result.payment }, 202);
      case 'exists':
        return c.json({ payment: result.payment }, 200);
      case 'conflict':
        return c.json({ error: { code: 'ruid_conflict', field: 'ruid', rule: 'same_body', message: 'this ruid is already used by a different request' }, payment: result.payment }, 409);
      case 'busy':
        return c.json({ error: { code: 'terminal_busy', message: 'The terminal is busy with another payment. Finish or cancel it first.', inFlightRuid: result.inFlightRuid, inFlight: await inFlightSummary(result.inFlightRuid) } }, 409);
    }
  };

  app.post('/api/payments', async (c) => {
    const body = await readJson(c, CreatePaymentBody);
    if (!body.ok) return badRequest(c, body.error);
    const input = checkPaymentInput(body.value, config.capCents);
    if (!input.ok) return badRequest(c, input.error);
    const terminal = await store.getTerminal(input.value.tid);
    if (!terminal || terminal.state === 'not_subscribed') {
      return badRequest(c, { field: 'tid', rule: 'subscribed', message: 'tid must be a terminal set up on this till (Terminal setup)' });
    }
    const forbidden = terminalForbidden(c, input.value.tid);
    if (forbidden) return forbidden;
    const result =
      terminal.transport === 'lan'
        ? await lan.create({ ruid: input.value.ruid, kind: 'purchase', terminal, amountCents: input.value.amountCents, reference: input.value.reference, original: undefined })
        : await processor.create({ ...input.value, kind: 'purchase', currency: terminal.currency, originalRuid: undefined });
    await record(c, 'payment.create', input.value.ruid, result.kind);
    return respondCreated(c, result);
  });

  /** A refund goes the way its purchase went (checked refundable by the route): the cloud, or the LAN terminal. */
  const refund = async (input: { ruid: string; originalRuid: string; amountCents: Cents }, original: Payment) => {
    if (original.transport !== 'lan') return processor.createRefund(input);
    const terminal = await store.getTerminal(original.tid);
    if (!terminal) return { kind: 'invalid' as const, field: 'originalRuid', rule: 'terminal' as const, message: 'the purchase\'s terminal is no longer set up' };
    return lan.create({ ruid: input.ruid, kind: 'refund', terminal, amountCents: input.amountCents, reference: undefined, original });
  };

  // Every give-back is claimed against the caller's limits before myPOS is asked, and released if it did not happen.
  const limits = (c: Context<EdgeEnv>) => limitsFor(c.get('principal'), config.shop, now());

  app.post('/api/refunds', async (c) => {
    const body = await readJson(c, CreateRefundBody);
    if (!body.ok) return badRequest(c, body.error);
    const input = checkRefundInput(body.value, config.capCents);
    if (!input.ok) return badRequest(c, input.error);
    const originalForbidden = paymentForbidden(c, await store.getPayment(input.value.originalRuid));
    if (originalForbidden) return originalForbidden;
    const checked = await checkRefundable(store, input.value);
    if (checked.kind === 'invalid') return badRequest(c, withoutKind(checked));
    const sale = await ports.ledger.saleForPayment(input.value.originalRuid);
    const claim = await ports.ledger.claimGiveBack(
      { id: input.value.ruid, kind: 'card_refund', saleId: sale?.id, paymentRuid: input.value.originalRuid, actor: principalName(c.get('principal')), cents: input.value.amountCents, currency: checked.original.currency, atMs: now() },
      limits(c),
    );
    if (claim.kind === 'limit') {
      await record(c, 'refund.create', input.value.ruid, `limit:${claim.scope}`);
      return limitRefusal(c, claim);
    }
    const result = await refund(input.value, checked.original);
    if (result.kind !== 'created' && result.kind !== 'exists') await ports.ledger.releaseGiveBack(input.value.ruid);
    if (result.kind === 'invalid') return badRequest(c, withoutKind(result));
    await record(c, 'refund.create', input.value.ruid, result.kind);
    return respondCreated(c, result);
  });

  /** A known payment on a terminal this caller may not use is 403; an unknown one is left to the route. */
  const paymentForbidden = (c: Context<EdgeEnv>, found: PaymentRecord | undefined) => (found ? terminalForbidden(c, found.payment.tid) : undefined);
  const ruidParam = (c: Context<EdgeEnv>) => checkRuid(c.req.param('ruid') ?? '');
  const notFound = (c: Context<EdgeEnv>) => c.json({ error: { code: 'not_found', message: 'no payment with this ruid' } }, 404);

  app.get('/api/payments/:ruid', async (c) => {
    const ruid = ruidParam(c);
    if (!ruid.ok) return badRequest(c, ruid.error);
    const found = await store.getPayment(ruid.value);
    if (!found) return notFound(c);
    return terminalForbidden(c, found.payment.tid) ?? c.json({ payment: found.payment });
  });

  app.get('/api/payments/:ruid/events', async (c) => {
    const ruid = ruidParam(c);
    if (!ruid.ok) return badRequest(c, ruid.error);
    const header = c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? '0';
    if (!/^[0-9]{1,15}$/.test(header)) return badRequest(c, { field: 'Last-Event-ID', rule: 'integer', message: 'Last-Event-ID must be a whole number' });
    const found = await store.getPayment(ruid.value);
    if (!found) return notFound(c);
    const forbidden = terminalForbidden(c, found.payment.tid);
    if (forbidden) return forbidden;
    const principal = c.get('principal');
    // A revoked device's open streams end at once.
    const closeWhen = principal.kind === 'device' ? (close: () => void) => revocations.onRevoked(principal.device.id, close) : undefined;
    return paymentEventStream(c, ruid.value, Number(header), store, bus, { pingMs: config.ssePingMs, closeWhen });
  });

  app.post('/api/payments/:ruid/cancel', async (c) => {
    const ruid = ruidParam(c);
    if (!ruid.ok) return badRequest(c, ruid.error);
    const found = await store.getPayment(ruid.value);
    const forbidden = paymentForbidden(c, found);
    if (forbidden) return forbidden;
    if (found?.payment.transport === 'lan') {
      return c.json({ error: { code: 'not_supported', message: 'A LAN terminal cannot be cancelled or voided from the till: cancel on the terminal, or refund.' }, payment: found.payment }, 409);
    }
    // A void gives the payment back: it counts against the limits like a refund.
    const voidId = `void:${ruid.value}`;
    if (found?.payment.state === 'approved') {
      const sale = await ports.ledger.saleForPayment(ruid.value);
      const claim = await ports.ledger.claimGiveBack({ id: voidId, kind: 'void', saleId: sale?.id, paymentRuid: ruid.value, actor: principalName(c.get('principal')), cents: found.payment.amountCents, currency: found.payment.currency, atMs: now() }, limits(c));
      if (claim.kind === 'limit') {
        await record(c, 'payment.cancel', ruid.value, `limit:${claim.scope}`);
        return limitRefusal(c, claim);
      }
    }
    const result = await processor.cancel(ruid.value);
    if (result.kind !== 'voided') await ports.ledger.releaseGiveBack(voidId);
    await record(c, 'payment.cancel', ruid.value, result.kind === 'refused' ? result.refusal.code : result.kind);
    switch (result.kind) {
      case 'not_found':
        return notFound(c);
      case 'refused':
        return c.json({ error: result.refusal, payment: result.payment }, 409);
      default:
        return c.json({ payment: result.payment });
    }
  });

  // The catalogue: every till reads it (and caches it offline); only an admin changes it.
  app.get('/api/products', async (c) => c.json({ products: sortedProducts(await ports.catalogue.listProducts()), currency: (await profile()).currency }));

  app.put('/api/products/:id', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const body = await readJson(c, ProductBody);
    if (!body.ok) return badRequest(c, body.error);
    const product = checkProductInput(c.req.param('id') ?? '', body.value, new Date(ports.clock.now()).toISOString(), config.capCents);
    if (!product.ok) return badRequest(c, product.error);
    const saved = body.value.sortOrder === undefined ? { ...product.value, sortOrder: placeOf(product.value.id, await ports.catalogue.listProducts()) } : product.value;
    await ports.catalogue.saveProduct(saved);
    await record(c, 'product.save', undefined, saved.id);
    return c.json({ product: saved });
  });

  app.get('/api/terminals', async (c) => {
    const principal = c.get('principal');
    const list = (await terminals.list()).filter((terminal) => mayUseTerminal(principal, terminal.tid));
    const inFlight = new Map((await store.inFlight()).map((record) => [record.payment.tid, record.payment.ruid]));
    // What the till may offer on each: pre-authorisation only on LAN, cancel and void only on the cloud.
    const operations = (transport: 'cloud' | 'lan') => (transport === 'lan' ? ['purchase', 'refund', 'preauth'] : ['purchase', 'refund', 'cancel', 'void']);
    // The terminal's last approved purchase, so that every till asks before charging the same amount again.
    const lastApproved = async (tid: string) => {
      const settled = await store.lastSettledOnTerminal(tid);
      const payment = settled?.state === 'approved' ? (await store.getPayment(settled.ruid))?.payment : undefined;
      return payment?.kind === 'purchase' && payment.state === 'approved' ? { ruid: payment.ruid, amount: payment.amount, approvedAt: payment.updatedAt } : undefined;
    };
    return c.json({
      terminals: await Promise.all(
        list.map(async ({ address: _address, ...terminal }) => ({ ...terminal, operations: operations(terminal.transport), inFlightRuid: inFlight.get(terminal.tid), lastApproved: await lastApproved(terminal.tid) })),
      ),
    });
  });

  app.post('/api/terminals', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const body = await readJson(c, CreateTerminalBody);
    if (!body.ok) return badRequest(c, body.error);
    const input = checkTerminalInput(body.value);
    if (!input.ok) return badRequest(c, input.error);
    const result = await terminals.subscribe(input.value.tid, input.value.currency);
    await record(c, 'terminal.subscribe', undefined, `${input.value.tid}:${result.kind}`);
    return terminalResponse(c, result, 201);
  });

  app.delete('/api/terminals/:tid', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const tid = checkTid(c.req.param('tid') ?? '');
    if (!tid.ok) return badRequest(c, tid.error);
    const busy = (await store.inFlight()).find((record) => record.payment.tid === tid.value && isInFlight(record.payment.state));
    if (busy) return c.json({ error: { code: 'terminal_busy', message: 'Finish the payment in flight first.', inFlightRuid: busy.payment.ruid } }, 409);
    const result = await terminals.unsubscribe(tid.value);
    await record(c, 'terminal.unsubscribe', undefined, `${tid.value}:${result.kind}`);
    return terminalResponse(c, result, 200);
  });

  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  return { app, processor, lan, audit, terminals, protocol: ports.protocol };
}

/** A refusal as the error body: its field, rule and data, without the result's kind. */
function withoutKind<T extends { readonly kind: 'invalid' }>(refusal: T): Omit<T, 'kind'> {
  const { kind: _kind, ...error } = refusal;
  return error;
}

function terminalResponse(c: Context<EdgeEnv>, result: Awaited<ReturnType<TerminalService['subscribe']>>, okStatus: 201 | 200) {
  switch (result.kind) {
    case 'ok':
      return c.json({ terminal: result.terminal }, okStatus);
    case 'not_found':
      return c.json({ error: { code: 'not_found', message: 'no terminal with this tid' } }, 404);
    case 'refused':
      return c.json({ error: { code: 'mypos_refused', status: result.status, reason: result.reason, message: result.message } }, 422);
    case 'no_answer':
      return c.json({ error: { code: 'mypos_unreachable', message: result.message } }, 502);
  }
}

import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { checkPaymentInput, checkRefundInput, checkSaleInput, checkTerminalInput, CreatePaymentBody, CreateRefundBody, CreateTerminalBody, SaleBody } from '../../shared/api.js';
import type { Cents } from '../../shared/money.js';
import { isInFlight } from '../../shared/payments.js';
import { checkRuid, checkTid } from '../../shared/validation.js';
import { openApiDocument } from './http/openapi.js';
import { paymentEventStream } from './http/sse.js';
import { badRequest, readJson } from './http/validation.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { MyposGateway } from './mypos/gateway.js';
import type { MachineTimings } from './payments/machine.js';
import { PaymentProcessor, type CreateResult } from './payments/processor.js';
import type { Clock, EventBus, Logger, PaymentStore, Scheduler } from './ports.js';
import { TerminalService } from './terminals.js';

export interface EdgePorts {
  readonly store: PaymentStore;
  readonly gateway: MyposGateway;
  readonly bus: EventBus;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newRuid: () => string;
  /** What /healthz reports beyond the store: keys, certificates, myPOS reachability. */
  readonly health: () => Promise<Record<string, unknown>>;
  readonly config: {
    readonly capCents: Cents;
    readonly ssePingMs: number;
    readonly timings: MachineTimings;
    readonly version: string;
  };
}

export interface EdgeApp {
  readonly app: Hono;
  readonly processor: PaymentProcessor;
}

export const MAX_BODY_BYTES = 64 * 1024;

/** The edge's HTTP API on Hono, Web Standards only: the Node and Workers adapters both serve it. */
export function createApp(ports: EdgePorts): EdgeApp {
  const { store, bus, logger, config } = ports;
  const processor = new PaymentProcessor({ ...ports, locks: new KeyedMutex(), timings: config.timings, capCents: config.capCents });
  const terminals = new TerminalService(store, ports.gateway, ports.clock, ports.newRuid);
  const app = new Hono();

  app.use('*', requestId());
  app.use('*', async (c, next) => {
    const started = Date.now();
    await next();
    logger.info('request', { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - started });
  });
  app.use(
    '/api/*',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: { field: 'body', rule: 'max_size', message: 'the body must be at most 64 KB' } }, 413) }),
  );
  app.onError((error, c) => {
    logger.error('unhandled error', { requestId: c.get('requestId'), path: c.req.path, error: error.message });
    return c.json({ error: { code: 'internal', message: 'Something went wrong on the edge. The payment state is safe; try again.' } }, 500);
  });

  app.get('/healthz', async (c) => {
    const storeOk = await store.ping().catch(() => false);
    const rest = await ports.health();
    return c.json({ ok: storeOk && rest.ok !== false, store: storeOk, ...rest }, storeOk ? 200 : 503);
  });

  app.get('/api/openapi.json', (c) => c.json(openApiDocument(config.version)));

  const respondCreated = (c: Context, result: CreateResult) => {
    switch (result.kind) {
      case 'created':
        return c.json({ payment: result.payment }, 202);
      case 'exists':
        return c.json({ payment: result.payment }, 200);
      case 'conflict':
        return c.json({ error: { code: 'ruid_conflict', field: 'ruid', rule: 'same_body', message: 'this ruid is already used by a different request' }, payment: result.payment }, 409);
      case 'busy':
        return c.json({ error: { code: 'terminal_busy', message: 'The terminal is busy with another payment. Finish or cancel it first.', inFlightRuid: result.inFlightRuid } }, 409);
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
    return respondCreated(c, await processor.create({ ...input.value, kind: 'purchase', currency: terminal.currency, originalRuid: undefined }));
  });

  app.post('/api/refunds', async (c) => {
    const body = await readJson(c, CreateRefundBody);
    if (!body.ok) return badRequest(c, body.error);
    const input = checkRefundInput(body.value, config.capCents);
    if (!input.ok) return badRequest(c, input.error);
    const result = await processor.createRefund(input.value);
    if (result.kind === 'invalid') return badRequest(c, { field: result.field, rule: result.rule, message: result.message });
    return respondCreated(c, result);
  });

  const ruidParam = (c: Context) => checkRuid(c.req.param('ruid') ?? '');

  app.get('/api/payments/:ruid', async (c) => {
    const ruid = ruidParam(c);
    if (!ruid.ok) return badRequest(c, ruid.error);
    const record = await store.getPayment(ruid.value);
    return record ? c.json({ payment: record.payment }) : c.json({ error: { code: 'not_found', message: 'no payment with this ruid' } }, 404);
  });

  app.get('/api/payments/:ruid/events', async (c) => {
    const ruid = ruidParam(c);
    if (!ruid.ok) return badRequest(c, ruid.error);
    const header = c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? '0';
    if (!/^[0-9]{1,15}$/.test(header)) return badRequest(c, { field: 'Last-Event-ID', rule: 'integer', message: 'Last-Event-ID must be a whole number' });
    if (!(await store.getPayment(ruid.value))) return c.json({ error: { code: 'not_found', message: 'no payment with this ruid' } }, 404);
    return paymentEventStream(c, ruid.value, Number(header), store, bus, { pingMs: config.ssePingMs });
  });

  app.post('/api/payments/:ruid/cancel', async (c) => {
    const ruid = ruidParam(c);
    if (!ruid.ok) return badRequest(c, ruid.error);
    const result = await processor.cancel(ruid.value);
    switch (result.kind) {
      case 'not_found':
        return c.json({ error: { code: 'not_found', message: 'no payment with this ruid' } }, 404);
      case 'refused':
        return c.json({ error: { code: result.reason, message: result.message }, payment: result.payment }, 409);
      default:
        return c.json({ payment: result.payment });
    }
  });

  // The sales ledger: completed sales (cash and card) as the tills send them, idempotent by id, so
  // an outbox may send the same sale any number of times.
  app.put('/api/sales/:id', async (c) => {
    const body = await readJson(c, SaleBody);
    if (!body.ok) return badRequest(c, body.error);
    const input = checkSaleInput(c.req.param('id') ?? '', body.value, config.capCents);
    if (!input.ok) return badRequest(c, input.error);
    if (input.value.paymentRuid !== undefined) {
      const payment = await store.getPayment(input.value.paymentRuid);
      if (payment?.payment.state !== 'approved' || payment.payment.amountCents !== input.value.amountCents) {
        return badRequest(c, { field: 'paymentRuid', rule: 'approved_payment', message: 'paymentRuid must be an approved payment of the same amount' });
      }
    }
    const result = await store.putSale({ ...input.value, receivedAt: new Date(ports.clock.now()).toISOString() });
    if (result.kind === 'conflict') return c.json({ error: { code: 'sale_conflict', field: 'id', rule: 'same_body', message: 'this sale id is already used by a different sale' } }, 409);
    return c.json({ sale: result.sale }, result.kind === 'created' ? 201 : 200);
  });

  app.get('/api/sales', async (c) => c.json({ sales: await store.listSales() }));

  app.get('/api/terminals', async (c) => {
    const list = await store.listTerminals();
    const inFlight = new Map((await store.inFlight()).map((record) => [record.payment.tid, record.payment.ruid]));
    return c.json({ terminals: list.map((terminal) => ({ ...terminal, inFlightRuid: inFlight.get(terminal.tid) })) });
  });

  app.post('/api/terminals', async (c) => {
    const body = await readJson(c, CreateTerminalBody);
    if (!body.ok) return badRequest(c, body.error);
    const input = checkTerminalInput(body.value);
    if (!input.ok) return badRequest(c, input.error);
    const result = await terminals.subscribe(input.value.tid, input.value.currency);
    return terminalResponse(c, result, 201);
  });

  app.delete('/api/terminals/:tid', async (c) => {
    const tid = checkTid(c.req.param('tid') ?? '');
    if (!tid.ok) return badRequest(c, tid.error);
    const busy = (await store.inFlight()).find((record) => record.payment.tid === tid.value && isInFlight(record.payment.state));
    if (busy) return c.json({ error: { code: 'terminal_busy', message: 'Finish the payment in flight first.', inFlightRuid: busy.payment.ruid } }, 409);
    return terminalResponse(c, await terminals.unsubscribe(tid.value), 200);
  });

  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  return { app, processor };
}

function terminalResponse(c: Context, result: Awaited<ReturnType<TerminalService['subscribe']>>, okStatus: 201 | 200) {
  switch (result.kind) {
    case 'ok':
      return c.json({ terminal: result.terminal }, okStatus);
    case 'not_found':
      return c.json({ error: { code: 'not_found', message: 'no terminal with this tid' } }, 404);
    case 'refused':
      return c.json({ error: { code: 'mypos_refused', status: result.status, message: result.message } }, 422);
    case 'no_answer':
      return c.json({ error: { code: 'mypos_unreachable', message: result.message } }, 502);
  }
}

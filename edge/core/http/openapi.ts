import { toJsonSchema } from '@valibot/to-json-schema';
import {
  CashRefundBody,
  CompletePreauthBody,
  CreatePaymentBody,
  CreatePreauthBody,
  CreateRefundBody,
  CreateTerminalBody,
  DayCloseBody,
  DevicePatchBody,
  PairBody,
  PairingCodeBody,
  ProductBody,
  ResolvePaymentBody,
  ShopBody,
} from '../../../shared/api.js';
import { SaleBody } from '../../../shared/sale-check.js';
import { PAYMENT_STATES } from '../../../shared/payments.js';
import { API_ERROR_CODES, FIELD_RULES, PAYMENT_REASONS } from '../../../shared/reasons.js';

// The API as OpenAPI 3.1. Request bodies come from the same valibot schemas the routes check with.
// Every route the app registers is here (tests/edge/service/openapi-routes.test.ts holds it to that).

const error = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      description: 'code (with field and rule for code invalid) and its data: the till words them. message is for developers, never shown to a cashier.',
      properties: {
        code: { enum: [...API_ERROR_CODES] },
        field: { type: 'string' },
        rule: { enum: [...FIELD_RULES] },
        left: { type: 'string', description: 'what is left (an amount), for a limit or a refund over what is left' },
        reason: { enum: [...PAYMENT_REASONS], description: 'for mypos_refused: the myPOS status as a reason' },
        status: { type: 'string' },
        state: { enum: [...PAYMENT_STATES] },
        message: { type: 'string' },
      },
      required: ['code', 'message'],
    },
  },
};

const payment = {
  type: 'object',
  properties: {
    ruid: { type: 'string' },
    kind: { enum: ['purchase', 'refund'] },
    tid: { type: 'string' },
    currency: { type: 'string' },
    amount: { type: 'string', example: '23.45' },
    amountCents: { type: 'integer' },
    reference: { type: 'object', properties: { number: { type: 'string' }, type: { type: 'string' } } },
    originalRuid: { type: 'string' },
    state: { enum: [...PAYMENT_STATES] },
    myposStatus: { type: 'string' },
    responseCode: { type: 'string' },
    reason: { enum: [...PAYMENT_REASONS], description: 'why the payment is in its state, a code the till words (with responseCode, myposStatus, pendingRuid)' },
    pendingRuid: { type: 'string' },
    receipt: { type: 'object', additionalProperties: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['ruid', 'kind', 'tid', 'currency', 'amount', 'amountCents', 'state', 'reason', 'createdAt', 'updatedAt'],
};

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const paymentBody = json({ type: 'object', properties: { payment: { $ref: '#/components/schemas/Payment' } } });
const errors = { '400': { description: 'Bad input: the field and the rule', ...json(error) }, '413': { description: 'Body over 64 KB', ...json(error) } };
const ruidParam = { name: 'ruid', in: 'path', required: true, schema: { type: 'string', maxLength: 255 } };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 255 } };
const tidParam = { name: 'tid', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9]{8}$' } };
const noParam = { name: 'no', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const unauthorized = { '401': { description: 'No credential, or a revoked one', ...json(error) } };
const adminOnly = { ...unauthorized, '403': { description: 'admin_required: a till device', ...json(error) } };
const device = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { enum: ['till', 'admin'] },
    terminals: { type: 'array', items: { type: 'string' }, description: 'the TIDs it may use; ["*"] for all' },
    createdAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'name', 'role', 'terminals', 'createdAt'],
};
const deviceBody = json({ type: 'object', properties: { device: { $ref: '#/components/schemas/Device' } } });

export function openApiDocument(version: string): object {
  return {
    openapi: '3.1.0',
    info: { title: 'myPOS till edge', version },
    // Every route needs a credential but pairing and /healthz: the admin token or a device's token
    // as a Bearer token, or the device's cookie.
    security: [{ bearer: [] }, { deviceCookie: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'EDGE_ADMIN_TOKEN (the admin), or a paired device\'s token' },
        deviceCookie: { type: 'apiKey', in: 'cookie', name: 'till_device', description: 'Set by pairing (HttpOnly, SameSite=Strict); state-changing requests must come from the till\'s origin' },
      },
      schemas: {
        Payment: payment,
        Device: device,
        Pair: toJsonSchema(PairBody),
        PairingCode: toJsonSchema(PairingCodeBody),
        DevicePatch: toJsonSchema(DevicePatchBody),
        Error: error,
        CreatePayment: toJsonSchema(CreatePaymentBody),
        CreateRefund: toJsonSchema(CreateRefundBody),
        CreateTerminal: toJsonSchema(CreateTerminalBody),
        Sale: toJsonSchema(SaleBody),
        Product: toJsonSchema(ProductBody),
        CashRefund: toJsonSchema(CashRefundBody),
        Shop: toJsonSchema(ShopBody),
        DayClose: toJsonSchema(DayCloseBody),
        CreatePreauth: toJsonSchema(CreatePreauthBody),
        CompletePreauth: toJsonSchema(CompletePreauthBody),
        ResolvePayment: toJsonSchema(ResolvePaymentBody),
      },
    },
    paths: {
      '/healthz': {
        get: {
          summary: 'For a monitor, without a credential: {ok, store}; 503 when the store does not answer',
          security: [],
          responses: { '200': json({ type: 'object', properties: { ok: { type: 'boolean' }, store: { type: 'boolean' } }, required: ['ok', 'store'] }), '503': { description: 'The store does not answer' } },
        },
      },
      '/api/health': {
        get: {
          summary: 'Admin: the edge in detail: ok, store, mode (demo, live, workers), the myPOS host, certificates (notAfter, daysLeft), the clock offset from myPOS, the protocol profile\'s sources, version',
          responses: { '200': { description: 'The details' }, '503': { description: 'The store does not answer' }, ...adminOnly },
        },
      },
      '/api/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' }, ...unauthorized } } },
      '/api/devices/pair': {
        post: {
          summary: 'The one route without a credential: redeem a one-time pairing code with a name for this device; answers the device and its token, and sets the till_device cookie. Failed attempts are limited (429)',
          security: [],
          requestBody: json({ $ref: '#/components/schemas/Pair' }),
          responses: { '201': json({ type: 'object', properties: { device: { $ref: '#/components/schemas/Device' }, token: { type: 'string' } } }), '400': { description: 'bad_code, or a name that breaks a rule', ...json(error) }, '429': { description: 'rate_limited', ...json(error) } },
        },
      },
      '/api/devices/me': { get: { summary: 'Who is calling: {kind: "admin"} or {kind: "device", device}', responses: { '200': { description: 'The caller' }, ...unauthorized } } },
      '/api/devices/pairing-codes': {
        post: {
          summary: 'Admin: a one-time pairing code (10 characters, 10 minutes by default) for a till or admin device bound to terminals, with its link and a QR code (SVG)',
          requestBody: json({ $ref: '#/components/schemas/PairingCode' }),
          responses: { '201': json({ type: 'object', properties: { code: { type: 'string' }, link: { type: 'string' }, qrSvg: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } }), ...adminOnly, ...errors },
        },
      },
      '/api/devices': { get: { summary: 'Admin: the paired devices (never their token hashes)', responses: { '200': json({ type: 'object', properties: { devices: { type: 'array', items: { $ref: '#/components/schemas/Device' } } } }), ...adminOnly } } },
      '/api/devices/{id}': {
        patch: { summary: 'Admin: rename a device or bind it to terminals', parameters: [idParam], requestBody: json({ $ref: '#/components/schemas/DevicePatch' }), responses: { '200': deviceBody, '404': json(error), ...adminOnly, ...errors } },
      },
      '/api/devices/{id}/revoke': {
        post: { summary: 'Admin: revoke a device: its next request is refused and its open event streams close', parameters: [idParam], responses: { '200': deviceBody, '404': json(error), ...adminOnly } },
      },
      '/api/payments': {
        post: {
          summary: 'Start a card payment on a terminal (idempotent by ruid)',
          requestBody: json({ $ref: '#/components/schemas/CreatePayment' }),
          responses: { '202': { description: 'Accepted', ...paymentBody }, '200': { description: 'The same request again', ...paymentBody }, '409': { description: 'terminal_busy (with inFlightRuid and inFlight: the ruid, amount, currency and createdAt of the payment in flight) or ruid_conflict', ...json(error) }, ...errors },
        },
      },
      '/api/payments/{ruid}': { get: { parameters: [ruidParam], responses: { '200': paymentBody, '404': json(error) } } },
      '/api/payments/{ruid}/events': {
        get: {
          summary: 'Server-sent events: one "payment" event per state change; Last-Event-ID replays; ends after a final state',
          parameters: [ruidParam, { name: 'Last-Event-ID', in: 'header', schema: { type: 'string' } }],
          responses: { '200': { description: 'text/event-stream', content: { 'text/event-stream': {} } } },
        },
      },
      '/api/payments/{ruid}/cancel': {
        post: { summary: 'Cancel before the card paid (MPRCancel), or void the last approved transaction (MPRLastTxnVoid)', parameters: [ruidParam], responses: { '200': paymentBody, '409': json(error), '404': json(error) } },
      },
      '/api/refunds': {
        post: {
          summary: 'Refund an approved purchase on its terminal (MPRRefund); a till device within its give-back limits (403 admin_required with left)',
          requestBody: json({ $ref: '#/components/schemas/CreateRefund' }),
          responses: { '202': paymentBody, '403': json(error), '409': json(error), ...errors },
        },
      },
      '/api/sales/{id}': {
        put: {
          summary:
            'Book a completed sale in the ledger (idempotent by id: 201 new with its receiptNo, 200 the same again, 409 sale_conflict another body, 409 payment_already_booked when its card payment is in another sale); lines are priced again, the tenders must cover the total, products and cash only in the shop currency',
          parameters: [idParam],
          requestBody: json({ $ref: '#/components/schemas/Sale' }),
          responses: { '201': { description: 'Stored' }, '200': { description: 'Already stored, the same' }, '409': json(error), ...errors },
        },
        get: {
          summary: 'A sale with its status (paid, partly_refunded, refunded, voided), what was given back, what is left to refund of each tender, voidable (and voidRefusal), limitLeft for a till device',
          parameters: [idParam],
          responses: { '200': { description: 'The sale' }, '403': json(error), '404': json(error) },
        },
      },
      '/api/sales/{id}/cash-refunds': {
        post: { summary: 'Hand back cash against a sale (idempotent by id; at most its cash part not yet refunded)', parameters: [idParam], requestBody: json({ $ref: '#/components/schemas/CashRefund' }), responses: { '201': { description: 'Recorded' }, '403': json(error), '404': json(error), ...errors } },
      },
      '/api/preauths': { post: { summary: 'LAN terminals: hold an amount on the card (iqom <preauth>)', requestBody: json({ $ref: '#/components/schemas/CreatePreauth' }), responses: { '202': paymentBody, '409': json(error), ...errors } } },
      '/api/preauths/{ruid}/completion': { post: { summary: 'Charge at most the amount held (iqom <preauthcompletion>)', parameters: [ruidParam], requestBody: json({ $ref: '#/components/schemas/CompletePreauth' }), responses: { '202': paymentBody, '409': json(error), ...errors } } },
      '/api/preauths/{ruid}/release': { post: { summary: 'Release the hold (iqom <preauthcancel>)', parameters: [ruidParam], responses: { '202': paymentBody, '409': json(error), ...errors } } },
      '/api/payments/{ruid}/resolve': { post: { summary: 'Admin: settle by hand, after checking the terminal, an unknown LAN payment or a cloud payment at check_terminal (myPOS and the terminal disagree)', parameters: [ruidParam], requestBody: json({ $ref: '#/components/schemas/ResolvePayment' }), responses: { '200': paymentBody, '409': json(error) } } },
      '/api/day-closes/current': { get: { summary: 'The open period as a report (X report), admin; query openingFloat and countedCash; byCurrency with net = gross − refunds − voids = cash + card' } },
      '/api/day-closes/current/csv': { get: { summary: 'The X report as CSV (section,key,currency,value)', responses: { '200': { description: 'text/csv', content: { 'text/csv': {} } } } } },
      '/api/day-closes': {
        get: { summary: 'Closed days, newest first (admin)' },
        post: { summary: 'Close the day: every sale, void and refund not yet closed goes into this Z report (admin)', requestBody: json({ $ref: '#/components/schemas/DayClose' }), responses: { '201': { description: 'Closed' }, ...errors } },
      },
      '/api/day-closes/{no}': { get: { summary: 'A closed day, rebuilt from its events (reproduced: true when the rebuild equals the stored report)', parameters: [noParam] } },
      '/api/day-closes/{no}/csv': { get: { summary: 'A closed day as CSV (section,key,currency,value): shop, Z number, period and currency first', parameters: [noParam], responses: { '200': { description: 'text/csv', content: { 'text/csv': {} } } } } },
      '/api/sales': { get: { summary: 'The sales ledger (admin); with ?ids=a,b (at most 100) any device gets {id, receiptNo, status} of the sales it may see' } },
      '/api/products': { get: { summary: 'The catalogue, and the shop currency its prices are in' } },
      '/api/shop': {
        get: { summary: 'The shop: name, address, currency, VAT of a typed amount (every till reads it)' },
        put: { summary: 'Admin: save the shop (its currency is fixed once a sale is booked: 409 currency_locked)', requestBody: json({ $ref: '#/components/schemas/Shop' }), responses: { '200': { description: 'Saved' }, '409': json(error), ...errors } },
      },
      '/api/products/{id}': {
        put: {
          summary: 'Create or change a product (admin); active: false takes it off the tills',
          parameters: [idParam],
          requestBody: json({ $ref: '#/components/schemas/Product' }),
          responses: { '200': { description: 'Saved' }, '403': json(error), ...errors },
        },
      },
      '/api/terminals': {
        get: { summary: 'Terminals with their state, the payment in flight (inFlightRuid) and the last approved purchase (lastApproved: {ruid, amount, approvedAt}), so a till asks before charging the same amount again' },
        post: { summary: 'Subscribe a terminal (MPRSubscribe): returns the code to type on the device', requestBody: json({ $ref: '#/components/schemas/CreateTerminal' }), responses: { '201': { description: 'Pending the code' }, ...errors } },
      },
      '/api/mypos/profile': { get: { summary: 'Admin: the myPOS protocol profile in use (SOAPAction, wire and signing order, answer order, version), where each part came from (documents, learned, environment, wsdl), and what the doctor learned' } },
      '/api/mypos/doctor': {
        post: {
          summary: 'Admin: run the myPOS doctor on a TID ({tid}): reachability, clock, certificates, WSDL, then at most 10 harmless MPRGetTxnStatus calls to learn the SOAPAction, signing order and answer order; the learned profile is saved and used. Answers {report} with codes and data (diagnosis, checks, tries)',
          responses: { '200': { description: 'The report' }, '403': json(error), ...errors },
        },
      },
      '/api/terminals/{tid}': { delete: { summary: 'Admin: cancel the subscription (MPRSubscribe action 2): returns the code to confirm on the device', parameters: [tidParam] } },
    },
  };
}

import { toJsonSchema } from '@valibot/to-json-schema';
import { PAYMENT_STATES } from '../../../shared/payments.js';
import { API_ERROR_CODES, FIELD_RULES, PAYMENT_REASONS } from '../../../shared/reasons.js';
import { documentedRoutes, type RouteDoc } from './route-doc.js';

// The API as OpenAPI 3.1, generated from the routes: each operation is what its middleware
// declares (summary, body schema, admin, open, responses) — the request bodies are the valibot
// schemas the routes check with. A route without a document cannot be mounted unseen
// (tests/edge/service/health-openapi.test.ts compares the document with the app's routes).

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
    kind: { enum: ['purchase', 'refund', 'preauth', 'completion', 'preauth_cancel'] },
    transport: { enum: ['cloud', 'lan'], description: 'the channel it went by (absent: cloud)' },
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

const errorBody = { $ref: '#/components/schemas/Error' };
const jsonContent = (schema: object, mediaType = 'application/json') => ({ content: { [mediaType]: { schema } } });

function operation(method: string, path: string, doc: RouteDoc): object {
  const parameters = [
    ...[...path.matchAll(/:([A-Za-z]+)/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string', maxLength: 255 } })),
    ...(doc.headers ?? []).map((name) => ({ name, in: 'header', schema: { type: 'string' } })),
    ...(doc.query ?? []).map((query) => ({ name: query.name, in: 'query', description: query.description, schema: { type: 'string' } })),
  ];
  const responses: Record<string, object> = {};
  for (const [status, response] of Object.entries(doc.responses ?? {})) {
    const schema = response.schema ?? (Number(status) >= 400 ? errorBody : undefined);
    responses[status] = { description: response.description, ...(response.mediaType ? jsonContent({}, response.mediaType) : schema ? jsonContent(schema) : {}) };
  }
  if (!Object.keys(responses).some((status) => status.startsWith('2'))) responses[method === 'post' && doc.body ? '201' : '200'] = { description: 'OK' };
  if (doc.body || doc.checksPath || (doc.query ?? []).length > 0) {
    responses['400'] ??= { description: 'invalid: the field and the rule', ...jsonContent(errorBody) };
  }
  if (doc.body) responses['413'] = { description: 'too_large: a body over 64 KB', ...jsonContent(errorBody) };
  if (!doc.open) responses['401'] = { description: 'unauthorized: no credential, or a revoked one', ...jsonContent(errorBody) };
  if (doc.admin) responses['403'] ??= { description: 'admin_required: a till device', ...jsonContent(errorBody) };
  return {
    ...(doc.summary ? { summary: doc.summary } : {}),
    ...(doc.open ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body ? { requestBody: { required: true, ...jsonContent({ $ref: `#/components/schemas/${doc.body.name}` }) } } : {}),
    responses,
  };
}

type Routes = Parameters<typeof documentedRoutes>[0];

export function openApiDocument(version: string, routes: Routes): object {
  const documented = documentedRoutes(routes);
  const paths: Record<string, Record<string, object>> = {};
  const bodies: Record<string, object> = {};
  for (const { method, path, doc } of documented) {
    const openApiPath = path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[openApiPath] = { ...paths[openApiPath], [method.toLowerCase()]: operation(method.toLowerCase(), path, doc) };
    if (doc.body) bodies[doc.body.name] = toJsonSchema(doc.body.schema);
  }
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
        Error: error,
        Payment: payment,
        PaymentBody: { type: 'object', properties: { payment: { $ref: '#/components/schemas/Payment' } }, required: ['payment'] },
        Device: device,
        ...bodies,
      },
    },
    paths,
  };
}

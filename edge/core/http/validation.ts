import type { Context, MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import type { FieldError } from '../../../shared/result.js';
import type { EdgeEnv } from './auth.js';
import { withDoc } from './route-doc.js';

// Turns bad input into 400 { error: { code: 'invalid', field, rule, message } }, naming the field
// and the rule (codes the till words; the message is for the log and API developers).

export function badRequest(c: Context, error: FieldError) {
  return c.json({ error: { code: 'invalid', ...error } }, 400);
}

type BodyResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldError };

function describeIssue(issue: v.BaseIssue<unknown>): FieldError {
  const path = issue.path?.map((item) => String(item.key)).join('.') || 'body';
  if (issue.type === 'strict_object' && issue.expected === 'never') return { field: path, rule: 'unknown', message: `${path} is not a field of this request` };
  if (issue.received === 'undefined') return { field: path, rule: 'required', message: `${path} is required` };
  return { field: path, rule: 'type', message: `${path} must be ${issue.expected ?? 'valid'} (got ${issue.received})` };
}

export async function readJson<S extends v.GenericSchema>(c: Context, schema: S): Promise<BodyResult<v.InferOutput<S>>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return { ok: false, error: { field: 'body', rule: 'json', message: 'the body must be a JSON object' } };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: { field: 'body', rule: 'type', message: 'the body must be a JSON object' } };
  }
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) {
    const first = parsed.issues[0];
    return { ok: false, error: first ? describeIssue(first) : { field: 'body', rule: 'schema', message: 'the body does not match the schema' } };
  }
  return { ok: true, value: parsed.output };
}


type Check<I, O> = (input: I) => { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: FieldError };

/**
 * The request body as middleware: its shape by the valibot schema (which the OpenAPI document
 * shows as `name`), then, with check, each value's rule; the route reads `c.req.valid('json')`.
 * Bad input is 400 naming the field and the rule, before the route runs.
 */
export function jsonBody<S extends v.GenericSchema, O = v.InferOutput<S>>(
  name: string,
  schema: S,
  check?: Check<v.InferOutput<S>, O>,
): MiddlewareHandler<EdgeEnv, string, { in: { json: v.InferInput<S> }; out: { json: O } }> {
  const middleware: MiddlewareHandler<EdgeEnv, string, { in: { json: v.InferInput<S> }; out: { json: O } }> = async (c, next) => {
    const body = await readJson(c, schema);
    if (!body.ok) return badRequest(c, body.error);
    const checked = check ? check(body.value) : { ok: true as const, value: body.value as O };
    if (!checked.ok) return badRequest(c, checked.error);
    c.req.addValidatedData('json', checked.value as object);
    await next();
  };
  return withDoc(middleware, { body: { name, schema } });
}

/** A path parameter checked by its rule (400 naming it) before the route runs. */
export function pathParam(name: string, check: (value: string, field: string) => { readonly ok: boolean; readonly error?: FieldError }): MiddlewareHandler<EdgeEnv> {
  const middleware: MiddlewareHandler<EdgeEnv> = async (c, next) => {
    const checked = check(c.req.param(name) ?? '', name);
    if (!checked.ok && checked.error) return badRequest(c, checked.error);
    await next();
  };
  return withDoc(middleware, { checksPath: true });
}

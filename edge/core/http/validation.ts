import type { Context } from 'hono';
import * as v from 'valibot';
import type { FieldError } from '../../../shared/result.js';

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


import type { Context } from 'hono';

// The control API's JSON: a body read leniently (anything but an object is empty), and a refusal
// naming the field and the rule. Shared by the terminals' and the checkout's control routes.

export type Json = Record<string, unknown>;

export async function body(c: Context): Promise<Json> {
  try {
    const value: unknown = await c.req.json();
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
  } catch {
    return {};
  }
}

export const bad = (c: Context, field: string, rule: string, message: string) => c.json({ error: { field, rule, message } }, 400);

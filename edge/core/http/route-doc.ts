import type { Context, MiddlewareHandler } from 'hono';
import type { GenericSchema } from 'valibot';
import type { EdgeEnv } from './auth.js';

// What a route says about itself, registered by the middleware it is built with: the OpenAPI
// document is generated from it (http/openapi.ts), and the Worker routes a request to its
// terminal's object from its terminal scope. A route declares it once, where it is defined.

/** Which terminal a request belongs to, before the app runs (Workers: that terminal's Durable Object). */
export type TerminalScope =
  /** The body's `tid` (a new payment). */
  | { readonly from: 'body_tid' }
  /** The payment named by a body field (a refund's originalRuid). */
  | { readonly from: 'body_payment'; readonly field: string }
  /** The payment named by the path's :ruid. */
  | { readonly from: 'path_payment' }
  /** Always this terminal (a new payment by link: the Online Checkout's pseudo-terminal). */
  | { readonly from: 'fixed'; readonly tid: string }
  /** The payment named by the path's :token, `<ruid>.<mac>` (a checkout link): the part before its last '.'. */
  | { readonly from: 'path_token' }
  /** The payment named by a field of a form-encoded body (myPOS's notification: OrderID). */
  | { readonly from: 'form_payment'; readonly field: string };

export interface ResponseDoc {
  readonly description: string;
  /** A JSON schema, or a $ref to one of the document's components. */
  readonly schema?: object;
  /** A media type other than JSON (text/csv, text/event-stream). */
  readonly mediaType?: string;
}

export interface RouteDoc {
  readonly summary?: string;
  /** The request body's valibot schema (set by jsonBody), and its name among the components. */
  readonly body?: { readonly name: string; readonly schema: GenericSchema };
  /** A path parameter is checked by its rule (set by pathParam): 400 naming it. */
  readonly checksPath?: boolean;
  /** Only an admin (set by adminOnly). */
  readonly admin?: boolean;
  /** No credential needed (pairing). */
  readonly open?: boolean;
  readonly query?: readonly { readonly name: string; readonly description: string }[];
  readonly headers?: readonly string[];
  readonly responses?: Readonly<Record<string, ResponseDoc>>;
  readonly terminal?: TerminalScope;
}

// Keyed by the middleware function itself: Hono lists every handler of a route in app.routes.
const docs = new WeakMap<object, RouteDoc>();

/** Registers what a middleware says about the route it is part of. */
export function withDoc<M extends object>(middleware: M, doc: RouteDoc): M {
  docs.set(middleware, doc);
  return middleware;
}

/** A route's summary, responses and the like: a middleware that only describes. */
export function describe(doc: RouteDoc): MiddlewareHandler<EdgeEnv> {
  return withDoc(async (_c: Context<EdgeEnv>, next) => next(), doc);
}

export function docOf(handler: unknown): RouteDoc | undefined {
  return typeof handler === 'function' ? docs.get(handler) : undefined;
}

export interface DocumentedRoute {
  readonly method: string;
  /** Hono's form: /api/payments/:ruid */
  readonly path: string;
  readonly doc: RouteDoc;
}

/** Every method and path of an app with what its handlers declare, merged (middleware and catch-alls, method ALL, left out). */
export function documentedRoutes(routes: readonly { readonly method: string; readonly path: string; readonly handler: unknown }[]): DocumentedRoute[] {
  const merged = new Map<string, DocumentedRoute>();
  for (const route of routes) {
    if (route.method === 'ALL') continue;
    const path = route.path.length > 1 ? route.path.replace(/\/$/, '') : route.path;
    const key = `${route.method} ${path}`;
    const found = merged.get(key) ?? { method: route.method, path, doc: {} };
    const doc = docOf(route.handler);
    merged.set(key, doc ? { ...found, doc: { ...found.doc, ...doc, responses: { ...found.doc.responses, ...doc.responses } } } : found);
  }
  return [...merged.values()];
}

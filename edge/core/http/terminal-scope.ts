import { checkRuid, checkTid } from '../../../shared/validation.js';
import { documentedRoutes, type TerminalScope } from './route-doc.js';

// Which terminal a request belongs to, read from what its route declares (route-doc.ts): the
// Worker sends it to that terminal's Durable Object, where its payment's checks and timers live.
// Routes that declare no terminal are served anywhere.

interface ScopedRoute {
  readonly method: string;
  readonly pattern: RegExp;
  /** Undefined: a route of no terminal, which the app serves anywhere. */
  readonly scope: TerminalScope | undefined;
}

export type TerminalRouter = (request: Request) => Promise<string | undefined>;

function patternOf(path: string): RegExp {
  const escaped = path.split('/').map((part) => (part.startsWith(':') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${escaped.join('/')}$`);
}

async function bodyField(request: Request, field: string): Promise<string | undefined> {
  try {
    const body: unknown = await request.clone().json();
    const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A field of a form-encoded body (myPOS's notification), read from a clone: the app reads the body again. */
async function formField(request: Request, field: string): Promise<string | undefined> {
  try {
    return new URLSearchParams(await request.clone().text()).get(field) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The payment a checkout link's token names: `<ruid>.<mac>`, the part before the last '.' (the app checks the MAC). */
function ruidOfToken(token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  return dot < 1 ? undefined : token.slice(0, dot);
}

function pathPart(part: string | undefined): string | undefined {
  if (part === undefined) return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * A router over an app's routes: the TID of a request to a terminal-scoped route, or undefined
 * (left to the app, which answers 400 or 404 as usual). tidOfPayment finds a payment's terminal.
 */
export function terminalRouter(routes: Parameters<typeof documentedRoutes>[0], tidOfPayment: (ruid: string) => Promise<string | undefined>): TerminalRouter {
  // Every route, in the app's order: the first that matches decides, as in the app (GET /c/submit.js before /c/:token).
  const scoped: ScopedRoute[] = documentedRoutes(routes).map(({ method, path, doc }) => ({ method, pattern: patternOf(path), scope: doc.terminal }));
  const payment = async (ruid: string | undefined) => (ruid !== undefined && checkRuid(ruid).ok ? tidOfPayment(ruid) : undefined);
  return async (request) => {
    const { pathname } = new URL(request.url);
    for (const route of scoped) {
      const match = request.method === route.method ? route.pattern.exec(pathname) : null;
      if (!match) continue;
      if (!route.scope) return undefined;
      switch (route.scope.from) {
        case 'body_tid': {
          const tid = await bodyField(request, 'tid');
          return tid !== undefined && checkTid(tid).ok ? tid : undefined;
        }
        case 'body_payment':
          return payment(await bodyField(request, route.scope.field));
        case 'path_payment':
          return payment(pathPart(match[1]));
        case 'fixed':
          return route.scope.tid;
        case 'path_token': {
          const token = pathPart(match[1]);
          return payment(token === undefined ? undefined : ruidOfToken(token));
        }
        case 'form_payment':
          return payment(await formField(request, route.scope.field));
      }
    }
    return undefined;
  };
}

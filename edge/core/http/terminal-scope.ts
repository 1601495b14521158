import { checkRuid, checkTid } from '../../../shared/validation.js';
import { documentedRoutes, type TerminalScope } from './route-doc.js';

// Which terminal a request belongs to, read from what its route declares (route-doc.ts): the
// Worker sends it to that terminal's Durable Object, where its payment's checks and timers live.
// Routes that declare no terminal are served anywhere.

interface ScopedRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly scope: TerminalScope;
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

/**
 * A router over an app's routes: the TID of a request to a terminal-scoped route, or undefined
 * (left to the app, which answers 400 or 404 as usual). tidOfPayment finds a payment's terminal.
 */
export function terminalRouter(routes: Parameters<typeof documentedRoutes>[0], tidOfPayment: (ruid: string) => Promise<string | undefined>): TerminalRouter {
  const scoped: ScopedRoute[] = documentedRoutes(routes).flatMap(({ method, path, doc }) => (doc.terminal ? [{ method, pattern: patternOf(path), scope: doc.terminal }] : []));
  const payment = async (ruid: string | undefined) => (ruid !== undefined && checkRuid(ruid).ok ? tidOfPayment(ruid) : undefined);
  return async (request) => {
    const { pathname } = new URL(request.url);
    for (const route of scoped) {
      const match = request.method === route.method ? route.pattern.exec(pathname) : null;
      if (!match) continue;
      switch (route.scope.from) {
        case 'body_tid': {
          const tid = await bodyField(request, 'tid');
          return tid !== undefined && checkTid(tid).ok ? tid : undefined;
        }
        case 'body_payment':
          return payment(await bodyField(request, route.scope.field));
        case 'path_payment':
          return payment(match[1] === undefined ? undefined : decodeURIComponent(match[1]));
      }
    }
    return undefined;
  };
}

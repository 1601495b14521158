// The till's screens as URLs, so a reload (or a second tab) comes back to the same payment.

export type Route =
  | { readonly name: 'sale' }
  | { readonly name: 'terminals' }
  | { readonly name: 'history' }
  | { readonly name: 'devices' }
  | { readonly name: 'settings' }
  | { readonly name: 'catalogue' }
  | { readonly name: 'day-close' }
  | { readonly name: 'setup' }
  | { readonly name: 'sale-view'; readonly id: string }
  | { readonly name: 'pair'; readonly code: string }
  | { readonly name: 'payment'; readonly ruid: string };

export function parseRoute(pathname: string): Route {
  const payment = /^\/pay\/([^/]+)$/.exec(pathname);
  if (payment?.[1]) return { name: 'payment', ruid: decodeURIComponent(payment[1]) };
  const sale = /^\/sales\/([^/]+)$/.exec(pathname);
  if (sale?.[1]) return { name: 'sale-view', id: decodeURIComponent(sale[1]) };
  if (pathname === '/day-close') return { name: 'day-close' };
  if (pathname === '/setup') return { name: 'setup' };
  if (pathname === '/terminals') return { name: 'terminals' };
  if (pathname === '/history') return { name: 'history' };
  if (pathname === '/devices') return { name: 'devices' };
  if (pathname === '/settings') return { name: 'settings' };
  if (pathname === '/catalogue') return { name: 'catalogue' };
  if (pathname === '/pair') return { name: 'pair', code: new URLSearchParams(location.search).get('code') ?? '' };
  return { name: 'sale' };
}

export function pathOf(route: Route): string {
  switch (route.name) {
    case 'payment':
      return `/pay/${encodeURIComponent(route.ruid)}`;
    case 'sale':
      return '/';
    case 'sale-view':
      return `/sales/${encodeURIComponent(route.id)}`;
    case 'pair':
      return route.code ? `/pair?code=${encodeURIComponent(route.code)}` : '/pair';
    default:
      return `/${route.name}`;
  }
}

export const router = $state<{ route: Route }>({ route: parseRoute(location.pathname) });

export function navigate(route: Route): void {
  history.pushState(null, '', pathOf(route));
  router.route = route;
}

addEventListener('popstate', () => {
  router.route = parseRoute(location.pathname);
});

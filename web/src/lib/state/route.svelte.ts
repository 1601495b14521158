// The till's screens as URLs, so a reload (or a second tab) comes back to the same payment.

export type Route = { readonly name: 'sale' } | { readonly name: 'terminals' } | { readonly name: 'payment'; readonly ruid: string };

export function parseRoute(pathname: string): Route {
  const payment = /^\/pay\/([^/]+)$/.exec(pathname);
  if (payment?.[1]) return { name: 'payment', ruid: decodeURIComponent(payment[1]) };
  if (pathname === '/terminals') return { name: 'terminals' };
  return { name: 'sale' };
}

export function pathOf(route: Route): string {
  return route.name === 'payment' ? `/pay/${encodeURIComponent(route.ruid)}` : route.name === 'terminals' ? '/terminals' : '/';
}

export const router = $state<{ route: Route }>({ route: parseRoute(location.pathname) });

export function navigate(route: Route): void {
  history.pushState(null, '', pathOf(route));
  router.route = route;
}

addEventListener('popstate', () => {
  router.route = parseRoute(location.pathname);
});

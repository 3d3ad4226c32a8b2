import { useSyncExternalStore } from 'react';

/**
 * Hash routes, without a router library: the screens are few, the URLs are the app's own, and a
 * hash survives Electron's file:// loading. `#/leads/<id>` is also what a notification click opens.
 */
export type Route =
  | { name: 'pipeline'; view: 'board' | 'list' }
  | { name: 'lead'; id: string }
  | { name: 'inbox'; leadId?: string }
  | { name: 'calls' }
  | { name: 'dashboard' }
  | { name: 'campaigns' }
  | { name: 'agents' }
  | { name: 'workflows' };

export type RouteName = Route['name'];

const DEFAULT_ROUTE: Route = { name: 'pipeline', view: 'board' };
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a location hash ("#/leads/…"); anything unknown is the pipeline board. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;
  switch (first) {
    case undefined:
    case 'pipeline':
      return { name: 'pipeline', view: second === 'list' ? 'list' : 'board' };
    case 'leads':
      return second && ID.test(second) ? { name: 'lead', id: second } : DEFAULT_ROUTE;
    case 'inbox':
      return second && ID.test(second) ? { name: 'inbox', leadId: second } : { name: 'inbox' };
    case 'calls':
    case 'dashboard':
    case 'campaigns':
    case 'agents':
    case 'workflows':
      return { name: first };
    default:
      return DEFAULT_ROUTE;
  }
}

/** The hash of a route; parseRoute(formatRoute(r)) gives r back. */
export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'pipeline':
      return route.view === 'list' ? '#/pipeline/list' : '#/pipeline';
    case 'lead':
      return `#/leads/${encodeURIComponent(route.id)}`;
    case 'inbox':
      return route.leadId ? `#/inbox/${encodeURIComponent(route.leadId)}` : '#/inbox';
    case 'calls':
    case 'dashboard':
    case 'campaigns':
    case 'agents':
    case 'workflows':
      return `#/${route.name}`;
  }
}

export const hrefFor = formatRoute;

/** Goes to a route (a history entry, so Back works). */
export function navigate(route: Route): void {
  const hash = formatRoute(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}

function subscribeToHash(notify: () => void): () => void {
  window.addEventListener('hashchange', notify);
  return () => window.removeEventListener('hashchange', notify);
}

/** The current route, re-rendering on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  return parseRoute(hash);
}

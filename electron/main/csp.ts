/**
 * The renderer's Content-Security-Policy. The page is our own bundle served from `app://fieldline`
 * and talks to the local core over a MessagePort, never over the network, so everything is
 * `'self'` and the rest is shut:
 * - `img-src data:` for images Vite inlines as data URLs (small icons);
 * - no `'unsafe-inline'` for styles: the build emits CSS files, and React's `style={…}` props are
 *   set through the CSSOM, which CSP does not govern;
 * - `object-src`, `base-uri`, `frame-ancestors`, `form-action` closed outright (not covered by
 *   `default-src`).
 * Development (electron-vite dev, unpackaged only) adds the dev server's origin, its HMR websocket,
 * and `'unsafe-inline'` scripts for the React Refresh preamble Vite injects inline.
 */
export function contentSecurityPolicy(options: { devServerUrl?: string | undefined } = {}): string {
  const dev = options.devServerUrl ? new URL(options.devServerUrl) : null;
  const devOrigin = dev ? dev.origin : '';
  const devSocket = dev ? `ws://${dev.host}` : '';
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'", devOrigin]],
    ['script-src', ["'self'", ...(dev ? [devOrigin, "'unsafe-inline'"] : [])]],
    ['style-src', ["'self'", ...(dev ? [devOrigin, "'unsafe-inline'"] : [])]],
    ['img-src', ["'self'", 'data:', devOrigin]],
    ['font-src', ["'self'", devOrigin]],
    ['connect-src', ["'self'", devOrigin, devSocket]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives
    .map(([name, sources]) => `${name} ${sources.filter(Boolean).join(' ')}`)
    .join('; ');
}

export type ResponseHeaders = Record<string, string | string[]>;

/**
 * The response headers with our policy as the only CSP: any policy the response brought (of any
 * letter case, report-only too) is dropped, since a looser one sent alongside would be combined,
 * not replaced, and a report-only one would only add noise.
 */
export function withContentSecurityPolicy(
  headers: ResponseHeaders | undefined,
  policy: string,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') {
      continue;
    }
    result[name] = Array.isArray(value) ? value : [value];
  }
  result['Content-Security-Policy'] = [policy];
  result['X-Content-Type-Options'] = ['nosniff'];
  return result;
}

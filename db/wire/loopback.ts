/**
 * The browser shell's loopback bridge, as both ends spell it (electron/shell serves it,
 * renderer/src/api/loopback.ts calls it). No zod here: the renderer bundles this file.
 */
export const loopback = {
  invokePath: (channel: string) => `/api/invoke/${encodeURIComponent(channel)}`,
  eventsPath: '/api/events',
  /** The per-launch token rides in the page URL's fragment, then in this header. */
  tokenHeader: 'authorization',
} as const;

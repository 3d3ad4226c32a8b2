/**
 * The app's access-token source, as the sync client uses it. `refresh: true` means the server has
 * just refused the last token as expired: the source must not hand it out again (it refreshes it
 * with the refresh token, or signs in again).
 */
export type GetAccessToken = (request: { refresh: boolean }) => Promise<string>;

/**
 * Shares one token source between the eight shape streams: when several of them find the token
 * expired at once, only one refresh runs and they all wait for it; a stream that reports a token
 * older than the current one does not refresh again.
 */
export class AccessTokens {
  #latest: string | undefined;
  #refreshing: Promise<string> | undefined;

  constructor(private readonly source: GetAccessToken) {}

  /** The token for the next request (waits for a refresh under way). */
  async current(): Promise<string> {
    if (this.#refreshing) return this.#refreshing;
    const token = await this.source({ refresh: false });
    this.#latest = token;
    return token;
  }

  /** The server refused `rejected` as expired: refresh it, unless that already happened. */
  expired(rejected: string | undefined): void {
    if (this.#refreshing) return;
    if (rejected !== undefined && this.#latest !== undefined && rejected !== this.#latest) return;
    const refreshing = this.source({ refresh: true }).then((token) => {
      this.#latest = token;
      return token;
    });
    this.#refreshing = refreshing;
    // Cleared either way: a failed refresh is reported by the request that awaits it, and the
    // next expiry tries again.
    refreshing.then(
      () => this.#clear(refreshing),
      () => this.#clear(refreshing),
    );
  }

  #clear(refreshing: Promise<string>): void {
    if (this.#refreshing === refreshing) this.#refreshing = undefined;
  }
}

/** The token an outgoing request carries, from its Authorization header. */
export function bearerOf(init: RequestInit | undefined): string | undefined {
  const header = new Headers(init?.headers).get('authorization');
  const match = header === null ? null : /^Bearer (\S+)$/.exec(header);
  return match?.[1];
}

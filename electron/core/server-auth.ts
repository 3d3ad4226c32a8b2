import { AppError } from '../../db/errors.ts';
import { type AuthResult, authResultSchema } from '../../db/wire/auth.ts';
import { fromErrorAnswer } from './sync/stream-errors.ts';

/**
 * The sync server's accounts API as the desktop uses it: sign in, refresh, sign out. A server that
 * cannot be reached is a TypeError (what fetch throws), so the shape streams and the pusher take it
 * as "offline" and retry; a server that answers with an error is an AppError with its code.
 */

/** The server answered 5xx or a gateway error: offline, for the desktop's purposes. */
export class ServerUnavailable extends TypeError {
  constructor(status: number) {
    super(`The sync server is unavailable (HTTP ${status}).`);
    this.name = 'ServerUnavailable';
  }
}

async function post(
  fetcher: typeof fetch,
  serverUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await fetcher(`${serverUrl.replace(/\/+$/, '')}/v1/auth/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const json: unknown = await response.json().catch(() => undefined);
  if (response.status >= 500 || response.status === 429) {
    if (response.status === 429) throw fromErrorAnswer(response.status, json);
    throw new ServerUnavailable(response.status);
  }
  if (!response.ok) throw fromErrorAnswer(response.status, json);
  return json;
}

function parseAuth(json: unknown): AuthResult {
  const parsed = authResultSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('INTERNAL', 'The sync server answered sign-in with an unexpected shape.');
  }
  return parsed.data;
}

export async function signInToServer(
  fetcher: typeof fetch,
  serverUrl: string,
  credentials: { email: string; password: string; deviceId: string; deviceName: string },
): Promise<AuthResult> {
  try {
    return parseAuth(await post(fetcher, serverUrl, 'login', credentials));
  } catch (error) {
    if (error instanceof TypeError) {
      throw new AppError(
        'SERVER_UNREACHABLE',
        `Cannot reach the sync server at ${serverUrl} to sign in (${error.message}). ` +
          'Signing in needs the network once; after that this desktop works offline.',
        { cause: error },
      );
    }
    throw error;
  }
}

/** Rotates the refresh token; the answer carries the next one, which must be kept at once. */
export async function refreshAtServer(
  fetcher: typeof fetch,
  serverUrl: string,
  refreshToken: string,
): Promise<AuthResult> {
  return parseAuth(await post(fetcher, serverUrl, 'refresh', { refreshToken }));
}

/** Ends the device's session on the server; best effort (signing out works offline too). */
export async function signOutAtServer(
  fetcher: typeof fetch,
  serverUrl: string,
  accessToken: string,
): Promise<void> {
  await post(fetcher, serverUrl, 'logout', {}, { authorization: `Bearer ${accessToken}` }).catch(
    () => undefined,
  );
}

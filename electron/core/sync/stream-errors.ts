import { FetchError } from '@electric-sql/client';
import { AppError, type ErrorCode, errorCodes } from '../../../db/errors.ts';
import { errorBodySchema } from '../../../db/wire/shape.ts';

/** What a shape stream should do about an error its request loop could not recover from. */
export type StreamFailure =
  /** The access token expired: get a fresh one and retry. */
  | { kind: 'token-expired'; error: AppError }
  /** The session or business cannot sync any more: stop every table and tell the app. */
  | { kind: 'signed-out'; error: AppError }
  /** The server is unreachable or unavailable: retry with backoff. */
  | { kind: 'unavailable'; error: AppError }
  /** Anything else: stop this table and show the error. */
  | { kind: 'failed'; error: AppError };

/** 401s and 403s after which retrying cannot help until someone signs in again (or pays). */
export const signedOutCodes: ReadonlySet<ErrorCode> = new Set([
  'UNAUTHENTICATED',
  'SESSION_REVOKED',
  'REFRESH_TOKEN_INVALID',
  'REFRESH_TOKEN_REUSED',
  'FORBIDDEN',
  'BUSINESS_SUSPENDED',
  'BUSINESS_CANCELLED',
]);

/** Gateways and a server shutting down answer these while it is, for us, offline. */
const unavailableStatuses: ReadonlySet<number> = new Set([429, 502, 503, 504]);

const knownCode = (code: string): ErrorCode | undefined =>
  errorCodes.find((known) => known === code);

/** The server's `{ code, message }` body of a failed answer (any request), as an AppError. */
export function fromErrorAnswer(status: number, json: unknown, cause?: unknown): AppError {
  const body = errorBodySchema.safeParse(json);
  const fallback: ErrorCode =
    status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'INTERNAL';
  if (!body.success) {
    return new AppError(fallback, `The sync server answered ${status}.`, { cause });
  }
  return new AppError(knownCode(body.data.code) ?? fallback, body.data.message, {
    cause,
    details: { status, requestId: body.data.requestId },
  });
}

const fromFetchError = (error: FetchError): AppError =>
  fromErrorAnswer(error.status, error.json, error);

/** A fetch that failed before any answer (refused, reset, DNS): undici says TypeError. */
const isNetworkError = (error: unknown): boolean =>
  error instanceof TypeError ||
  (error instanceof Error &&
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket/i.test(error.message));

export function classifyStreamError(error: unknown): StreamFailure {
  if (error instanceof FetchError) {
    const appError = fromFetchError(error);
    if (appError.code === 'TOKEN_EXPIRED') return { kind: 'token-expired', error: appError };
    if (error.status === 401 || error.status === 403 || signedOutCodes.has(appError.code)) {
      return { kind: 'signed-out', error: appError };
    }
    if (unavailableStatuses.has(error.status) || error.status >= 500) {
      return { kind: 'unavailable', error: appError };
    }
    return { kind: 'failed', error: appError };
  }
  if (error instanceof AppError) {
    if (error.code === 'TOKEN_EXPIRED') return { kind: 'token-expired', error };
    if (signedOutCodes.has(error.code)) return { kind: 'signed-out', error };
    return { kind: 'failed', error };
  }
  if (isNetworkError(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'unavailable', error: new AppError('INTERNAL', reason, { cause: error }) };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { kind: 'failed', error: new AppError('INTERNAL', reason, { cause: error }) };
}

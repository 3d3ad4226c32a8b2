import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../db/errors.ts';
import { EXPECTED_MUTATION_HEADER } from '../db/wire/mutations.ts';

/** HTTP status for each stable error code; anything not listed is a 500. */
const statusOf: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  INVALID_PHONE: 400,
  CHECK_VIOLATION: 400,
  NOT_NULL_VIOLATION: 400,
  FOREIGN_KEY_VIOLATION: 400,
  UNIQUE_VIOLATION: 409,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  SESSION_REVOKED: 401,
  INVALID_CREDENTIALS: 401,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  INVITATION_INVALID: 400,
  EMAIL_TAKEN: 409,
  FORBIDDEN: 403,
  BUSINESS_SUSPENDED: 403,
  BUSINESS_CANCELLED: 403,
  RATE_LIMITED: 429,
  SHAPE_INVALID: 400,
  MUST_REFETCH: 409,
  SHUTTING_DOWN: 503,
  MUTATION_GAP: 409,
  PIPELINE_FORBIDS: 422,
  RECIPIENT_OPTED_OUT: 422,
  WEBHOOK_SIGNATURE_INVALID: 403,
  PROVIDER_NOT_CONFIGURED: 503,
};

export { EXPECTED_MUTATION_HEADER } from '../db/wire/mutations.ts';

/** The one error body of the HTTP API. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  requestId: string;
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const detail = error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return new AppError('VALIDATION_FAILED', detail.join('; '), { cause: error });
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation || (fastifyError.statusCode && fastifyError.statusCode < 500)) {
    return new AppError('VALIDATION_FAILED', fastifyError.message ?? 'Bad request', {
      cause: error,
    });
  }
  return new AppError('INTERNAL', 'Internal error', { cause: error });
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error);
  const status = statusOf[appError.code] ?? (appError.code === 'VALIDATION_FAILED' ? 400 : 500);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  // A shape that must be refetched names the handle to start again with (Electric's 409).
  const handle = appError.details?.handle;
  if (appError.code === 'MUST_REFETCH' && typeof handle === 'string') {
    void reply.header('electric-handle', handle);
  }
  // A push that skipped numbers says where to resume (the write path's 409).
  const expected = appError.details?.expectedMutationId;
  if (appError.code === 'MUTATION_GAP' && typeof expected === 'number') {
    void reply.header(EXPECTED_MUTATION_HEADER, String(expected));
  }
  const retryAfter = appError.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
  const body: ErrorBody = { code: appError.code, message: appError.message, requestId: request.id };
  void reply.status(status).send(body);
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): void {
  const body: ErrorBody = {
    code: 'NOT_FOUND',
    message: `No route ${request.method} ${request.url.split('?')[0]}`,
    requestId: request.id,
  };
  void reply.status(404).send(body);
}

/**
 * The one error shape of the system: a stable machine-readable code and a message a person can act
 * on. HTTP, IPC and job handlers turn it into `{ code, message }` (plus a request id on HTTP).
 */
export const errorCodes = [
  'CONFIG_INVALID',
  'VALIDATION_FAILED',
  'INVALID_PHONE',
  'MIGRATION_FAILED',
  'MIGRATION_CHANGED',
  'SECRET_KEY_MISSING',
  'SECRET_KEY_INVALID',
  'SECRET_UNREADABLE',
  'CHECK_VIOLATION',
  'NOT_NULL_VIOLATION',
  'UNIQUE_VIOLATION',
  'FOREIGN_KEY_VIOLATION',
  'DATABASE_ERROR',
  'DATA_DIR_IN_USE',
  'NOT_FOUND',
  'INTERNAL',
  // Accounts and access
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'SESSION_REVOKED',
  'INVALID_CREDENTIALS',
  'REFRESH_TOKEN_INVALID',
  'REFRESH_TOKEN_REUSED',
  'INVITATION_INVALID',
  'EMAIL_TAKEN',
  'FORBIDDEN',
  'BUSINESS_SUSPENDED',
  'BUSINESS_CANCELLED',
  'RATE_LIMITED',
  // The read path
  'SHAPE_INVALID',
  'MUST_REFETCH',
  'SHUTTING_DOWN',
  // The write path
  'MUTATION_GAP',
  'PIPELINE_FORBIDS',
  /** A text to a customer whose phone opted out of the business's texts (replied STOP). */
  'RECIPIENT_OPTED_OUT',
  // Webhooks and providers
  /** A webhook's signature is missing or does not match (forged, or signed for another URL). */
  'WEBHOOK_SIGNATURE_INVALID',
  /** The provider's credentials are not configured on this server. */
  'PROVIDER_NOT_CONFIGURED',
  // The desktop
  /** The sync server could not be reached (signing in needs it; everything else works offline). */
  'SERVER_UNREACHABLE',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.details = options?.details;
  }
  readonly details: Record<string, unknown> | undefined;

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;

import { pino, type Logger } from 'pino';

/** Structured JSON logs; credentials are redacted wherever they would appear. */
export const createLogger = (level: string): Logger =>
  pino({
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.passwordHash',
        '*.password_hash',
        '*.accessToken',
        '*.refreshToken',
        '*.ghl_access_token',
        '*.ghl_refresh_token',
        '*.google_ads_refresh_token',
      ],
      censor: '[redacted]',
    },
  });

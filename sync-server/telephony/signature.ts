import type { FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { AppError } from '../../db/errors.ts';

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  /**
   * The public address Twilio posts to (`https://api.example.com`). Twilio signs the URL it used;
   * behind a proxy the server sees another one, and trusting the Host header instead would let a
   * caller choose what the signature is checked against.
   */
  webhookBaseUrl: string | undefined;
}

/** The URL Twilio signed for this request: the configured public base and the request's path. */
export function signedUrl(request: FastifyRequest, baseUrl: string | undefined): string {
  if (baseUrl) return `${baseUrl.replace(/\/+$/, '')}${request.url}`;
  return `${request.protocol}://${request.host}${request.url}`;
}

/**
 * Refuses a request whose `X-Twilio-Signature` is missing or is not Twilio's HMAC-SHA1 of the URL
 * and every posted parameter (the SDK's own check: parameters Twilio adds later are covered too).
 * Also refuses a request for another Twilio account, which a valid signature alone would not.
 */
export function verifyTwilioRequest(
  request: FastifyRequest,
  params: Record<string, string>,
  credentials: TwilioCredentials,
): void {
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || signature.length === 0) {
    throw new AppError('WEBHOOK_SIGNATURE_INVALID', 'The request has no X-Twilio-Signature header');
  }
  const url = signedUrl(request, credentials.webhookBaseUrl);
  if (!twilio.validateRequest(credentials.authToken, signature, url, params)) {
    throw new AppError(
      'WEBHOOK_SIGNATURE_INVALID',
      `X-Twilio-Signature does not match this request to ${url}`,
    );
  }
  if (params.AccountSid !== undefined && params.AccountSid !== credentials.accountSid) {
    throw new AppError('WEBHOOK_SIGNATURE_INVALID', 'The request is for another Twilio account');
  }
}

/** A form-encoded body as Twilio sends it: one value per name (a repeated name keeps its last). */
export function parseTwilioForm(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

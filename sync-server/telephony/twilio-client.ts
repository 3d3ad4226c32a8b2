import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/**
 * The twilio SDK, sending to another origin than api.twilio.com when one is configured (a test's or
 * a benchmark's local Twilio, or an egress proxy). The SDK builds absolute `https://*.twilio.com`
 * URLs (edge and region only change the host within twilio.com) and hands every request to its
 * `httpClient`, the supported seam: this is the SDK's own RequestClient (its form encoding, Basic
 * auth, headers and errors) with only the origin swapped. Every *.twilio.com host is rewritten, so
 * a client pointed elsewhere can never reach the real Twilio by accident.
 */
export class RedirectedTwilioRequestClient extends twilio.RequestClient {
  readonly #origin: URL;

  constructor(origin: string, options?: RequestClient.RequestClientOptions) {
    super(options);
    this.#origin = new URL(origin);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    if (uri.hostname === 'twilio.com' || uri.hostname.endsWith('.twilio.com')) {
      uri.protocol = this.#origin.protocol;
      uri.host = this.#origin.host;
    }
    return super.request({ ...opts, uri: uri.href });
  }
}

/** A Twilio REST client for the account, at `apiOrigin` when given (else Twilio itself). */
export function twilioClient(
  credentials: { accountSid: string; authToken: string },
  apiOrigin?: string,
): twilio.Twilio {
  return twilio(credentials.accountSid, credentials.authToken, {
    ...(apiOrigin ? { httpClient: new RedirectedTwilioRequestClient(apiOrigin) } : {}),
  });
}

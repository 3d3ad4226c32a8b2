import Fastify from 'fastify';
import pg from 'pg';

/**
 * The two baselines beside the webhook, each run as its own process (`tsx
 * bench/webhooks/baseline-server.ts`), with the sync server's framework (Fastify, no request logs):
 *
 * - BASELINE=bare: answers every POST 200, reading the body as a string and nothing else;
 * - BASELINE=insert: parses the form and does only the webhook's INSERT INTO sms_logs (the same
 *   columns, one row, no transaction, no lead, no signature check; the business found from the number
 *   in BUSINESS_BY_NUMBER) on DATABASE_URL, with a pool of
 *   POOL_SIZE connections (the server's default, 10).
 *
 * Prints `{"msg":"baseline listening","url":…}` once listening on 127.0.0.1:PORT.
 */

const kind = process.env.BASELINE ?? 'bare';
const port = Number(process.env.PORT ?? 0);
const app = Fastify({ logger: false });

app.addContentTypeParser(
  'application/x-www-form-urlencoded',
  { parseAs: 'string', bodyLimit: 64 * 1024 },
  (_request, body, done) => done(null, body),
);

let pool: pg.Pool | undefined;
if (kind === 'bare') {
  app.post('/*', (_request, reply) => reply.status(200).send());
} else if (kind === 'insert') {
  // Each tracking number's business, as the webhook finds it (JSON: number → business id).
  const businessOf = JSON.parse(process.env.BUSINESS_BY_NUMBER ?? '{}') as Record<string, string>;
  if (Object.keys(businessOf).length === 0) throw new Error('BUSINESS_BY_NUMBER is required');
  pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.POOL_SIZE ?? 10),
  });
  const database = pool;
  app.post('/*', async (request, reply) => {
    const form = Object.fromEntries(new URLSearchParams(request.body as string));
    await database.query(
      `INSERT INTO sms_logs (user_id, lead_id, direction, from_phone, to_phone, message_text,
                             status, reply_to_sms_id, provider, provider_message_id)
       VALUES ($1, NULL, 'inbound', $2, $3, $4, 'received', NULL, 'twilio', $5)`,
      [businessOf[form.To ?? ''], form.From, form.To, form.Body, form.MessageSid],
    );
    return reply
      .type('text/xml; charset=utf-8')
      .send('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
} else {
  throw new Error(`BASELINE must be bare or insert, got ${kind}`);
}

const url = await app.listen({ host: '127.0.0.1', port, backlog: 8192 });
process.stdout.write(`${JSON.stringify({ msg: 'baseline listening', url, kind })}\n`);

const stop = () => {
  void app
    .close()
    .then(() => pool?.end())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import twilio from 'twilio';
import { inboundSmsParams } from '../../tests/support/twilio-webhooks.ts';

/**
 * The load generator, run as its own process (`tsx bench/webhooks/load.ts`) so that it does not
 * share a thread with what it measures. It keeps LOAD_CONNECTIONS keep-alive connections busy (one
 * request in flight on each) for LOAD_WARMUP_SECONDS, then LOAD_SECONDS timed, POSTing Twilio
 * inbound-text webhooks: each a new MessageSid (so each is a new row), from one of LOAD_CUSTOMERS
 * numbers, to the LOAD_TO numbers in turn, signed with X-Twilio-Signature over LOAD_SIGNED_URL. The bodies are made and
 * signed before the clock starts. Prints one JSON line on stdout with the counts and latencies.
 *
 * Only requests started inside the timed window count: their number over LOAD_SECONDS is the rate,
 * their latencies (send → whole answer read) the percentiles.
 */

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const target = new URL(env('LOAD_URL'));
const signedUrl = env('LOAD_SIGNED_URL', target.toString());
const authToken = env('LOAD_AUTH_TOKEN');
const accountSid = env('LOAD_ACCOUNT_SID');
/** The tracking numbers texted, comma-separated: one business each, taken in turn. */
const tos = env('LOAD_TO').split(',');
const connections = Number(env('LOAD_CONNECTIONS', '200'));
const warmupSeconds = Number(env('LOAD_WARMUP_SECONDS', '2'));
const seconds = Number(env('LOAD_SECONDS', '10'));
const customers = Number(env('LOAD_CUSTOMERS', '1000'));
const presign = Number(env('LOAD_PRESIGN', '60000'));
const customerBase = Number(env('LOAD_CUSTOMER_BASE', '5125550000'));
/**
 * 0: closed loop (each connection sends its next request when the last is answered). Above 0: open
 * loop at that many requests a second, on at most LOAD_CONNECTIONS connections (requests wait for a
 * free one); latency is then counted from when each request was due, so time spent waiting behind a
 * slow server counts (no coordinated omission).
 */
const rate = Number(env('LOAD_RATE', '0'));

const sidPrefix = randomBytes(10).toString('hex');
let made = 0;

interface Prepared {
  body: Buffer;
  signature: string;
}

function prepare(): Prepared {
  const n = made++;
  const params = inboundSmsParams({
    messageSid: `SM${sidPrefix}${n.toString(16).padStart(12, '0')}`,
    accountSid,
    from: `+1${customerBase + (n % customers)}`,
    to: tos[n % tos.length] ?? '',
    body: `Water under the sink again, can someone come today? (${n})`,
  });
  return {
    body: Buffer.from(new URLSearchParams(params).toString()),
    signature: twilio.getExpectedTwilioSignature(authToken, signedUrl, params),
  };
}

const prepared: Prepared[] = Array.from({ length: presign }, prepare);
let next = 0;
/** Pre-signed while they last; signed on the spot after that (counted in `signedLive`). */
const take = (): Prepared => prepared[next++] ?? prepare();

const agent = new Agent({ keepAlive: true, maxSockets: connections });

function post({ body, signature }: Prepared): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': body.length,
          'x-twilio-signature': signature,
          'user-agent': 'TwilioProxy/1.1',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const timedFrom = started + warmupSeconds * 1000;
  const until = timedFrom + seconds * 1000;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let okAll = 0;
  let sentAll = 0;
  /** Answers that came back inside the timed window, whenever sent: the rate the server kept. */
  let answeredInWindow = 0;

  const worker = async () => {
    for (;;) {
      const sentAt = performance.now();
      if (sentAt >= until) return;
      const status = await post(take());
      const done = performance.now();
      sentAll++;
      if (done >= timedFrom && done < until) answeredInWindow++;
      if (status >= 200 && status < 300) okAll++;
      if (sentAt < timedFrom) continue;
      latencies.push(done - sentAt);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status < 200 || status >= 300) errors++;
    }
  };
  const openLoop = async () => {
    const pending = new Set<Promise<void>>();
    for (let i = 0; ; i++) {
      const due = started + (i * 1000) / rate;
      if (due >= until) break;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const sending = post(take()).then((status) => {
        const done = performance.now();
        sentAll++;
        if (done >= timedFrom && done < until) answeredInWindow++;
        if (status >= 200 && status < 300) okAll++;
        if (due < timedFrom) return;
        latencies.push(done - due);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status < 200 || status >= 300) errors++;
      });
      pending.add(sending);
      void sending.finally(() => pending.delete(sending));
    }
    await Promise.all(pending);
  };
  if (rate > 0) await openLoop();
  else await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - timedFrom) / 1000;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  process.stdout.write(
    `${JSON.stringify({
      connections,
      offeredRate: rate,
      seconds,
      // The last requests started before the window closed and finished after it.
      elapsedSeconds: elapsed,
      requests: latencies.length,
      errors,
      statuses,
      rate: latencies.length / seconds,
      answeredRate: answeredInWindow / seconds,
      p50: pct(50),
      p90: pct(90),
      p99: pct(99),
      max: latencies.at(-1) ?? NaN,
      sentAll,
      okAll,
      signedLive: Math.max(0, made - presign),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

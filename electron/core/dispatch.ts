import { z } from 'zod';
import { AppError } from '../../db/errors.ts';
import {
  type DesktopChannel,
  type DesktopResponse,
  desktopApi,
  isDesktopChannel,
} from '../../db/wire/desktop-api.ts';
import type { DesktopHandlers } from './api.ts';

export interface DispatchLog {
  /** A call that failed for a reason the person cannot act on (a bug): logged with its stack. */
  error(message: string, error: unknown): void;
  /** A call slower than SLOW_CALL_MS: a query to look at. */
  slow(channel: DesktopChannel, ms: number): void;
}

/** Slower than this and a person notices; Signal Desktop logs its slow queries at 40 ms too. */
export const SLOW_CALL_MS = 40;

const fail = (code: AppError['code'], message: string): DesktopResponse<never> => ({
  ok: false,
  error: { code, message },
});

/**
 * Every renderer call lands here, over Electron's message port and the browser shell's loopback
 * alike: the channel must be one of the API's, the arguments must parse with its schema (nothing
 * the renderer sends is trusted), and whatever happens the answer is a DesktopResponse with a
 * stable code — an exception never crosses the bridge.
 */
export async function dispatch(
  handlers: DesktopHandlers,
  channel: unknown,
  args: unknown,
  log?: DispatchLog,
): Promise<DesktopResponse<unknown>> {
  if (!isDesktopChannel(channel)) {
    return fail(
      'VALIDATION_FAILED',
      `There is no desktop API call named ${JSON.stringify(channel)}.`,
    );
  }
  const parsed = desktopApi[channel].args.safeParse(args ?? []);
  if (!parsed.success) {
    return fail('VALIDATION_FAILED', `${channel}: ${z.prettifyError(parsed.error)}`);
  }
  const started = performance.now();
  try {
    const handler = handlers[channel] as (...args: unknown[]) => Promise<unknown>;
    const value = await handler(...(parsed.data as unknown[]));
    const ms = performance.now() - started;
    if (ms > SLOW_CALL_MS) log?.slow(channel, ms);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof AppError) return fail(error.code, error.message);
    if (error instanceof z.ZodError) {
      return fail('VALIDATION_FAILED', `${channel}: ${z.prettifyError(error)}`);
    }
    log?.error(`${channel} failed`, error);
    return fail('INTERNAL', `${channel} failed inside the local core; the log has the details.`);
  }
}

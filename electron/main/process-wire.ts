import { z } from 'zod';
import { errorCodes, type ErrorCode } from '../../db/errors.ts';
import {
  desktopEventSchema,
  type DesktopEvent,
  type DesktopResponse,
} from '../../db/wire/desktop-api.ts';

/**
 * The messages between the desktop's three processes. Pure (no `electron` import): the main
 * process, the sandboxed preload and the core's utility process all import it, and every message is
 * parsed with these schemas where it arrives, since each process only trusts itself.
 *
 *   renderer (preload) ⇄ core      a MessagePort, created by main and handed to both ends
 *   main ⇄ core                    the utility process's parentPort
 *   main → renderer (preload)      IPC, for shell commands (menu, notification clicks)
 */

/** IPC channel names between main and the preload (the only `ipcRenderer` use of the app). */
export const ipcChannels = {
  /** preload → main: "give this page a port to the core" (sent once per page load). */
  portRequest: 'fieldline:port-request',
  /** main → preload: carries the renderer's end of a MessageChannelMain in `event.ports[0]`. */
  port: 'fieldline:port',
  /** main → preload: a ShellCommand for the renderer. */
  command: 'fieldline:command',
} as const;

const errorSchema = z.object({ code: z.enum(errorCodes), message: z.string() });
export type WireError = z.infer<typeof errorSchema>;

export const wireError = (code: ErrorCode, message: string): WireError => ({ code, message });

/** Any failure as the one error shape; an AppError keeps its code, anything else is INTERNAL. */
export function toWireError(error: unknown): WireError {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    (errorCodes as readonly string[]).includes(error.code)
  ) {
    const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
    return { code: error.code as ErrorCode, message };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

// ── renderer ⇄ core (MessagePort) ─────────────────────────────────────────────────────────────

/** renderer → core: one call of the desktop API. The core validates `args` by the channel. */
export const invokeMessageSchema = z.object({
  kind: z.literal('invoke'),
  id: requestId,
  channel: z.string().max(200),
  args: z.array(z.unknown()).max(16),
});
export type InvokeMessage = z.infer<typeof invokeMessageSchema>;

export const desktopResponseSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorSchema }),
]);

export const answerMessageSchema = z.object({
  kind: z.literal('answer'),
  id: requestId,
  response: desktopResponseSchema,
});
export type AnswerMessage = { kind: 'answer'; id: number; response: DesktopResponse<unknown> };

export const eventMessageSchema = z.object({ kind: z.literal('event'), event: desktopEventSchema });
export type EventMessage = { kind: 'event'; event: DesktopEvent };

/** core → renderer */
export const coreToRendererSchema = z.discriminatedUnion('kind', [
  answerMessageSchema,
  eventMessageSchema,
]);

// ── main → renderer (IPC) ────────────────────────────────────────────────────────────────────

/** The screens the menu's CmdOrCtrl+1…7 open, in that order (the renderer's route names). */
export {
  desktopScreens,
  shellCommandSchema,
  type DesktopScreen,
  type ShellCommand,
} from '../../db/wire/desktop-api.ts';
import type { ShellCommand } from '../../db/wire/desktop-api.ts';
/** How a ShellCommand reaches `subscribe` listeners (a DesktopEvent-like envelope). */
export type CommandEvent = { type: 'command'; command: ShellCommand };

// ── main ⇄ core (parentPort) ─────────────────────────────────────────────────────────────────

/** What the core needs to start; main decides it (paths, server, device). */
export const coreStartSchema = z.object({
  dataDir: z.string().min(1),
  serverUrl: z.url({ protocol: /^https?$/ }),
  deviceId: z.uuid(),
});
export type CoreStart = z.infer<typeof coreStartSchema>;

export const mainToCoreSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('start'), options: coreStartSchema }),
  /** Carries one renderer's port in `ports[0]`. */
  z.object({ kind: z.literal('connect') }),
  z.object({ kind: z.literal('vault:loaded'), id: requestId, session: z.unknown() }),
  z.object({ kind: z.literal('vault:done'), id: requestId }),
  z.object({ kind: z.literal('vault:failed'), id: requestId, error: errorSchema }),
  /** Close the replica cleanly, answer `closed`, and exit. */
  z.object({ kind: z.literal('shutdown') }),
]);
export type MainToCore = z.infer<typeof mainToCoreSchema>;

export const coreToMainSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('failed'), error: errorSchema }),
  z.object({ kind: z.literal('closed') }),
  z.object({ kind: z.literal('vault:load'), id: requestId }),
  /** `session` is opaque to main: it is encrypted and stored as it came (it holds a secret). */
  z.object({ kind: z.literal('vault:save'), id: requestId, session: z.unknown() }),
  z.object({ kind: z.literal('vault:clear'), id: requestId }),
  z.object({ kind: z.literal('event'), event: desktopEventSchema }),
]);
export type CoreToMain = z.infer<typeof coreToMainSchema>;

/** The core events main acts on (notifications, tray badge); the rest stay between core and UI. */
export const eventsForMain = new Set<DesktopEvent['type']>(['alert', 'badge']);

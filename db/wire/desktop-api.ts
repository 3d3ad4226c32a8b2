import { z } from 'zod';
import { syncStatusSchema } from './sync.ts';

/**
 * The typed desktop API: every call the renderer can make to the local core, by channel name, with
 * the schema of its arguments and of its result. Electron's IPC and the browser shell's loopback
 * bridge both expose exactly this map; the renderer imports these types and nothing else.
 */
export const desktopApi = {
  'sync:status': { args: z.tuple([]), result: syncStatusSchema },
} as const;

export type DesktopApi = typeof desktopApi;
export type DesktopChannel = keyof DesktopApi;
export type DesktopArgs<C extends DesktopChannel> = z.infer<DesktopApi[C]['args']>;
export type DesktopResult<C extends DesktopChannel> = z.infer<DesktopApi[C]['result']>;

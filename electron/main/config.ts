import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../db/errors.ts';

/**
 * The desktop's configuration from the environment, validated once at start-up:
 * - FIELDLINE_SERVER_URL: the sync server (default: a local one, for development);
 * - FIELDLINE_DATA_DIR: where the replica lives (default: `<userData>/data`);
 * - ELECTRON_RENDERER_URL: set by `electron-vite dev` (the dev server); ignored when packaged.
 * (FIELDLINE_USER_DATA_DIR, a separate profile folder, is read by main-app.ts before `ready`.)
 */
const environmentSchema = z.object({
  FIELDLINE_SERVER_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8787'),
  FIELDLINE_DATA_DIR: z.string().min(1).optional(),
  ELECTRON_RENDERER_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export interface DesktopConfig {
  serverUrl: string;
  dataDir: string;
  devServerUrl: string | undefined;
}

export function readConfig(
  env: Record<string, string | undefined>,
  paths: { userData: string; isPackaged: boolean; join: (...parts: string[]) => string },
): DesktopConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new AppError('CONFIG_INVALID', `Invalid desktop configuration: ${problems.join('; ')}`);
  }
  return {
    serverUrl: parsed.data.FIELDLINE_SERVER_URL,
    dataDir: parsed.data.FIELDLINE_DATA_DIR ?? paths.join(paths.userData, 'data'),
    devServerUrl: paths.isPackaged ? undefined : parsed.data.ELECTRON_RENDERER_URL,
  };
}

/** This installation's device id: made once, kept in a file, the same across restarts. */
export async function deviceId(file: string): Promise<string> {
  try {
    const stored = (await fs.readFile(file, 'utf8')).trim();
    if (z.uuid().safeParse(stored).success) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = randomUUID();
  await fs.writeFile(file, `${id}\n`, { mode: 0o600 });
  return id;
}

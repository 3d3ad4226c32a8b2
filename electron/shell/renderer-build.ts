import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time under `folder` (sources of the renderer and what it imports). */
function newestIn(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds the renderer into out/renderer unless the build there is newer than every source it
 * comes from: a second `npm start` opens at once, an edited screen is rebuilt.
 */
export async function buildRendererIfStale(root: string): Promise<string> {
  const outDir = join(root, 'out/renderer');
  const index = join(outDir, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(newestIn(join(root, 'renderer')), newestIn(join(root, 'db/wire')));
  if (built > sources) return outDir;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
  return outDir;
}

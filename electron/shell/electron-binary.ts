import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The installed Electron executable, or null. Read from the electron package's path.txt without
 * requiring the package: since Electron 45, requiring it downloads a missing binary, which on a
 * machine without that network (this build machine) fails after a long wait.
 */
export function installedElectron(root: string): string | null {
  const pkg = join(root, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

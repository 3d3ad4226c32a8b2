import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Debian's Chromium, as the end-to-end tests and the launch benchmark start it (Playwright's own
 * browser download cannot work on this machine kind). Without the background-networking flags it
 * keeps trying hosts this machine's closed network refuses.
 */
export const chromiumExecutable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Installs Debian's Chromium (e2e/install-chromium.sh) when it is not there yet. */
export function ensureChromium(): void {
  if (existsSync(chromiumExecutable)) return;
  const script = resolve(import.meta.dirname, '..', 'install-chromium.sh');
  execFileSync('bash', [script], { stdio: 'inherit' });
}

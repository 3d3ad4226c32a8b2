import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildRendererIfStale } from '../electron/shell/renderer-build.ts';
import { ensureChromium } from './support/chromium.ts';
import { dropDatabase, prepareTemplate, TEMPLATE_ENV } from './support/stack.ts';

const root = resolve(import.meta.dirname, '..');

/**
 * Before any end-to-end test: Debian's Chromium must be there (Playwright's own browser download
 * cannot work on this machine kind), the renderer is built once (so the browser shells the tests
 * start never build it at the same time), and the demo database is made once, for each test to
 * copy. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureChromium();
  await buildRendererIfStale(root);
  const template = `fl_e2e_tpl_${randomBytes(4).toString('hex')}`;
  const folder = mkdtempSync(join(tmpdir(), 'fl-e2e-template-'));
  await prepareTemplate(template, folder);
  process.env[TEMPLATE_ENV] = template;
  return async () => {
    await dropDatabase(template);
    rmSync(folder, { recursive: true, force: true });
  };
}

import { createServer } from 'node:net';
import {
  test as base,
  expect,
  type BrowserContext,
  type Locator,
  type Page,
  type TestInfo,
} from '@playwright/test';
import { createStack, DEMO_PASSWORD, type Desktop, type Stack, type SyncServer } from './stack.ts';

/**
 * What the desk specs share: a `desk` fixture (a fresh stack per test — database, sync server,
 * desktops — and the browser contexts opened on it, all closed however the test ends), signing in
 * through the real form, the sync indicator's states, and screenshots attached to the report.
 */

export const OWNER = 'john@plumbing.com';
export const DISPATCHER = 'dispatch@plumbing.com';
export const TECHNICIAN = 'tech@plumbing.com';
export const BUSINESS_NAME = "John's Plumbing";

export const statuses = ['new', 'contacted', 'quoted', 'booked', 'completed', 'lost'] as const;
export type Status = (typeof statuses)[number];

/** A port free right now, so a sync server can be started again on the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface Desk {
  stack: Stack;
  /**
   * Starts the sync server and a desktop (a browser-shell process) side by side on a port chosen
   * up front, and opens the desktop in a new browser context.
   */
  start(desktopName: string): Promise<{ server: SyncServer; desktop: Desktop; page: Page }>;
  /** Another desktop (its own process and replica) against `serverUrl`, in its own context. */
  openDesktop(desktopName: string, serverUrl: string): Promise<{ desktop: Desktop; page: Page }>;
}

export const test = base.extend<{ desk: Desk }>({
  desk: async ({ browser }, use) => {
    const stack = await createStack();
    const contexts: BrowserContext[] = [];
    const open = async (desktop: Desktop) => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(desktop.url);
      return page;
    };
    try {
      await use({
        stack,
        async start(desktopName) {
          const port = await freePort();
          const url = `http://127.0.0.1:${port}`;
          const [server, desktop] = await Promise.all([
            stack.startServer(port),
            stack.startDesktop(desktopName, url),
          ]);
          return { server, desktop, page: await open(desktop) };
        },
        async openDesktop(desktopName, serverUrl) {
          const desktop = await stack.startDesktop(desktopName, serverUrl);
          return { desktop, page: await open(desktop) };
        },
      });
    } finally {
      // Pages first: their open event streams would otherwise hold the shells' servers open.
      await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
      await stack.close();
    }
  },
});

export { expect };

/** Signs in through the form; resolves once the app shell (past the first sync) is on screen. */
export async function signIn(page: Page, email: string, testInfo?: TestInfo): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await expect(form).toBeVisible();
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  if (testInfo) await shot(page, testInfo, 'sign-in');
  await form.getByRole('button', { name: 'Sign in' }).click();
  const shell = page.getByTestId('app-shell');
  if (testInfo) {
    // The first sync's progress shows while the replica fills: caught when it lasts long enough.
    const firstSync = page.getByRole('heading', { name: `Getting ${BUSINESS_NAME} ready` });
    await expect(firstSync.or(shell).first()).toBeVisible({ timeout: 30_000 });
    if (await firstSync.isVisible()) await shot(page, testInfo, 'first-sync');
  }
  await expect(shell).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('business-name')).toHaveText(BUSINESS_NAME);
}

/** The sync indicator (data-state online|offline|syncing|error) and the waiting-changes count. */
export const syncIndicator = (page: Page): Locator => page.getByTestId('sync-indicator');
export const pendingCount = (page: Page): Locator => page.getByTestId('pending-count');

/** Online, and every edit of this desktop acknowledged by the server. */
export async function expectSynced(page: Page, timeout = 45_000): Promise<void> {
  await expect(syncIndicator(page)).toHaveAttribute('data-state', 'online', { timeout });
  await expect(pendingCount(page)).toHaveAttribute('data-count', '0', { timeout });
  await expect(pendingCount(page)).toHaveText('All changes synced');
}

/** A screenshot of the window in the test's output folder, attached to the report. */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The id of the business (the owner's users row) whose demo data the stack holds. */
export async function businessId(stack: Stack): Promise<string> {
  const [row] = await stack.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [OWNER]);
  if (!row) throw new Error('the demo business is missing');
  return row.id;
}

/** The business's lead counts per status, in PostgreSQL. */
export async function leadCounts(stack: Stack): Promise<Record<Status, number>> {
  const rows = await stack.query<{ status: Status; n: number }>(
    `SELECT status, count(*)::int AS n FROM leads
      WHERE user_id = (SELECT id FROM users WHERE email = $1) GROUP BY status`,
    [OWNER],
  );
  const counts = Object.fromEntries(statuses.map((status) => [status, 0])) as Record<
    Status,
    number
  >;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** How the board writes a count (thousands separated: 1,234). */
export const shownCount = (n: number): string => n.toLocaleString('en-US');

export const column = (page: Page, status: Status): Locator => page.getByTestId(`column-${status}`);
export const card = (page: Page, leadId: string): Locator =>
  page.getByTestId(`lead-card-${leadId}`);

/** Waits for a PostgreSQL query's first row to match (the server's copy, once synced). */
export function pollRow<T extends Record<string, unknown>>(
  stack: Stack,
  sql: string,
  params: unknown[],
): () => Promise<T | undefined> {
  return async () => (await stack.query<T>(sql, params))[0];
}

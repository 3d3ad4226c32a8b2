import {
  businessId,
  expect,
  expectSynced,
  OWNER,
  shot,
  signIn,
  test,
  type Desk,
} from './support/desk.ts';
import type { Page, TestInfo } from '@playwright/test';

/**
 * Every main screen, signed in as the owner, each checked against what PostgreSQL holds and
 * captured (light, then a few in the dark theme), reached by the navigation and by the keyboard.
 */

const count = (n: number): string => n.toLocaleString('en-US');
const wholeDollars = (amount: number): string =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  }).format(amount);

async function go(page: Page, route: string, screenTestId: string): Promise<void> {
  await page.getByTestId(`nav-${route}`).click();
  await expect(page.getByTestId(screenTestId)).toBeVisible();
  await expect(page.getByTestId(`nav-${route}`)).toHaveAttribute('aria-current', 'page');
}

async function checkScreens(desk: Desk, page: Page, testInfo: TestInfo, business: string) {
  const { stack } = desk;

  await test.step('lead detail: the timeline holds the lead’s calls, texts and notes', async () => {
    const [lead] = await stack.query<{
      id: string;
      customer_name: string;
      calls: number;
      texts: number;
      notes: number;
    }>(
      `SELECT l.id, l.customer_name,
              (SELECT count(*)::int FROM call_logs c WHERE c.lead_id = l.id) AS calls,
              (SELECT count(*)::int FROM sms_logs s WHERE s.lead_id = l.id) AS texts,
              (SELECT count(*)::int FROM lead_notes n WHERE n.lead_id = l.id) AS notes
         FROM leads l
        WHERE l.user_id = $1 AND l.status = 'quoted'
          AND EXISTS (SELECT 1 FROM sms_logs s WHERE s.lead_id = l.id)
          AND EXISTS (SELECT 1 FROM call_logs c WHERE c.lead_id = l.id)
        ORDER BY l.created_at DESC LIMIT 1`,
      [business],
    );
    if (!lead) throw new Error('no quoted lead with calls and texts in the demo data');
    await page.goto(`${new URL(page.url()).origin}/#/leads/${lead.id}`);
    const detail = page.getByTestId('lead-detail');
    await expect(detail.getByRole('heading', { level: 1 })).toHaveText(lead.customer_name);
    await expect(detail.locator('.lead-subline')).toContainText('Quoted');
    await expect(detail.getByTestId('timeline-call')).toHaveCount(lead.calls);
    await expect(detail.getByTestId('timeline-text')).toHaveCount(lead.texts);
    await expect(detail.getByTestId('timeline-note')).toHaveCount(lead.notes);
    await expect(detail.getByTestId('timeline-status').first()).toBeVisible();
    await shot(page, testInfo, 'lead-detail');
  });

  await test.step('inbox: a conversation shows each text with its status', async () => {
    await go(page, 'inbox', 'screen-inbox');
    const [latest] = await stack.query<{ lead_id: string }>(
      `SELECT lead_id FROM sms_logs WHERE user_id = $1 AND lead_id IS NOT NULL
        ORDER BY created_at DESC LIMIT 1`,
      [business],
    );
    if (!latest) throw new Error('no texts in the demo data');
    const thread = page.getByTestId(`thread-${latest.lead_id}`);
    await expect(page.locator('[data-testid^="thread-"]').first()).toHaveAttribute(
      'data-testid',
      `thread-${latest.lead_id}`,
    );
    await thread.click();
    const texts = await stack.query<{ id: string; status: string }>(
      'SELECT id, status FROM sms_logs WHERE lead_id = $1 ORDER BY created_at',
      [latest.lead_id],
    );
    await expect(page.locator('[data-testid^="message-"]')).toHaveCount(texts.length);
    for (const text of texts) {
      await expect(page.getByTestId(`message-${text.id}`)).toHaveAttribute(
        'data-status',
        text.status,
      );
    }
    await shot(page, testInfo, 'inbox');
  });

  await test.step('calls: every call is listed, missed first', async () => {
    const [calls] = await stack.query<{ total: number }>(
      'SELECT count(*)::int AS total FROM call_logs WHERE user_id = $1',
      [business],
    );
    await go(page, 'calls', 'screen-calls');
    await expect(page.getByTestId('screen-calls')).toContainText(
      `${count(calls?.total ?? -1)} calls · missed calls first`,
    );
    await expect(page.locator('[data-testid^="call-row-"]').first()).toHaveAttribute(
      'data-missed',
      'true',
    );
    await shot(page, testInfo, 'calls');
  });

  await test.step('dashboard: this month’s leads, bookings and spend from the financials', async () => {
    const [month] = await stack.query<{ leads: number; bookings: number; spend: string }>(
      `SELECT coalesce(sum(leads_generated), 0)::int AS leads,
              coalesce(sum(leads_booked), 0)::int AS bookings,
              coalesce(sum(ad_spend), 0)::text AS spend
         FROM financials
        WHERE user_id = $1 AND date >= date_trunc('month', now())::date
          AND date < (date_trunc('month', now()) + interval '1 month')::date`,
      [business],
    );
    if (!month) throw new Error('no financials');
    // Keyboard: g then d.
    await page.getByTestId('screen-calls').click();
    await page.keyboard.press('g');
    await page.keyboard.press('d');
    await expect(page.getByTestId('screen-dashboard')).toBeVisible();
    await expect(page.getByTestId('kpi-leads')).toContainText(count(month.leads));
    await expect(page.getByTestId('kpi-bookings')).toContainText(count(month.bookings));
    await expect(page.getByTestId('kpi-spend')).toContainText(wholeDollars(Number(month.spend)));
    for (const kpi of ['revenue', 'cpl', 'conversion', 'roi']) {
      await expect(page.getByTestId(`kpi-${kpi}`)).toBeVisible();
    }
    await shot(page, testInfo, 'dashboard');
  });

  await test.step('campaigns: one row per campaign', async () => {
    const campaigns = await stack.query<{ id: string }>(
      'SELECT id FROM campaigns WHERE user_id = $1',
      [business],
    );
    await go(page, 'campaigns', 'screen-campaigns');
    await expect(page.locator('[data-testid^="campaign-row-"]')).toHaveCount(campaigns.length);
    for (const campaign of campaigns) {
      await expect(page.getByTestId(`campaign-row-${campaign.id}`)).toBeVisible();
    }
    await shot(page, testInfo, 'campaigns');
  });

  await test.step('agents: each agent’s action count', async () => {
    // The screen reads the latest 1,000 actions.
    const agents = await stack.query<{ agent: string; n: number }>(
      `SELECT agent_name AS agent, count(*)::int AS n FROM ai_agent_logs WHERE user_id = $1
        GROUP BY agent_name`,
      [business],
    );
    const total = agents.reduce((sum, { n }) => sum + n, 0);
    expect(total).toBeGreaterThan(0);
    await go(page, 'agents', 'screen-agents');
    await expect(page.getByRole('button', { name: /All agents/ })).toContainText(
      `Latest ${count(Math.min(total, 1000))} actions`,
    );
    if (total <= 1000) {
      for (const { agent, n } of agents) {
        await expect(page.getByTestId(`agent-filter-${agent}`)).toContainText(
          `${count(n)} actions`,
        );
      }
    }
    await shot(page, testInfo, 'agents');
  });

  await test.step('workflows: one row per workflow', async () => {
    const workflows = await stack.query<{ id: string }>(
      'SELECT id FROM workflows WHERE user_id = $1',
      [business],
    );
    await go(page, 'workflows', 'screen-workflows');
    await expect(page.locator('[data-testid^="workflow-row-"]')).toHaveCount(workflows.length);
    await shot(page, testInfo, 'workflows');
  });

  await test.step('the Edits panel, empty when nothing was refused', async () => {
    await expect(page.getByTestId('edits-button')).toHaveAttribute(
      'aria-label',
      'Edits: 0 refused or superseded',
    );
    await page.getByTestId('edits-button').click();
    const panel = page.getByRole('dialog', { name: 'Edits' });
    await expect(panel.getByText('No refused edits')).toBeVisible();
    await expect(panel.getByText('No superseded edits')).toBeVisible();
    await shot(page, testInfo, 'edits-panel-empty');
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
  });

  await test.step('the shortcuts overlay opens with ?', async () => {
    await page.getByTestId('screen-workflows').click();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    await expect(help).toContainText('Shortcuts are off while you type in a field');
    await expect(help.locator('kbd', { hasText: /^g$/ }).first()).toBeVisible();
    await shot(page, testInfo, 'help-overlay');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
  });
}

test('every main screen agrees with the database, in both themes', async ({ desk }, testInfo) => {
  test.setTimeout(240_000);
  const business = await businessId(desk.stack);
  const { page } = await desk.start('owner');
  await signIn(page, OWNER);
  await expectSynced(page);
  await expect(page.getByTestId('app-shell')).toContainText('Owner');

  await checkScreens(desk, page, testInfo, business);

  await test.step('dark theme: chosen once, kept across screens and reloads', async () => {
    await page.getByRole('button', { name: 'Use the dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('button', { name: 'Use the light theme' })).toBeVisible();
    const background = String(
      await page.evaluate("getComputedStyle(document.querySelector('.app-main')).backgroundColor"),
    );
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect(r + g + b, `a dark background, not ${background}`).toBeLessThan(200);
    await page.getByTestId('nav-pipeline').click();
    await expect(page.getByTestId('column-new')).toBeVisible();
    await shot(page, testInfo, 'dark-pipeline');
    await go(page, 'dashboard', 'screen-dashboard');
    await shot(page, testInfo, 'dark-dashboard');
    await go(page, 'inbox', 'screen-inbox');
    await shot(page, testInfo, 'dark-inbox');
    await page.reload();
    await expect(page.getByTestId('screen-inbox')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });
});

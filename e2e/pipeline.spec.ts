import {
  businessId,
  card,
  column,
  DISPATCHER,
  expect,
  expectSynced,
  leadCounts,
  pollRow,
  shot,
  shownCount,
  signIn,
  statuses,
  test,
} from './support/desk.ts';

/**
 * A dispatcher's day on the board, against a real sync server and PostgreSQL: the board agrees
 * with the database; a lead taken at the desk is found by search and moved new → contacted (drag
 * and drop) → quoted (amount asked) → booked, and PostgreSQL ends with it; changes made on the
 * server (SQL, as a webhook or an agent would) reach the open page without a reload.
 */

const NAME = 'Odalys Fairweather';

test('a dispatcher works the pipeline and sees server changes live', async ({ desk }, testInfo) => {
  test.setTimeout(300_000);
  const { stack } = desk;
  const business = await businessId(stack);
  // A phone whose last five digits no demo lead's phone contains, so searching them finds one lead.
  const [free] = await stack.query<{ last4: string }>(
    `SELECT lpad(n::text, 4, '0') AS last4 FROM generate_series(1000, 9999) AS n
      WHERE NOT EXISTS (SELECT 1 FROM leads WHERE customer_phone LIKE '%5' || lpad(n::text, 4, '0') || '%')
      ORDER BY n LIMIT 1`,
  );
  if (!free) throw new Error('no free phone number');
  const PHONE = `(512) 555-${free.last4}`;
  const PHONE_E164 = `+1512555${free.last4}`;
  const PHONE_PART = `5${free.last4}`;
  const [clash] = await stack.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM leads WHERE customer_name ILIKE '%fairweath%'`,
  );
  expect(clash?.n, 'the demo data must not already match the test lead').toBe(0);

  // The demo generator fills the whole of the business's day, so some of its calls are stamped
  // hours ahead of now; opening Calls marks missed calls seen up to the newest of them, and a call
  // ringing now would then never raise the badge (reported). Those calls go back a day here, so
  // the badge is tested as it behaves with real call times.
  await stack.query(
    `UPDATE call_logs SET created_at = created_at - interval '1 day',
                          ended_at = ended_at - interval '1 day'
      WHERE created_at > now()`,
  );

  const { page } = await desk.start('dispatch');
  await signIn(page, DISPATCHER, testInfo);
  await expectSynced(page);

  // A marker that only survives as long as the page is never reloaded.
  await page.evaluate("globalThis.e2eMarker = 'still here'");

  await test.step('the board counts what PostgreSQL holds', async () => {
    const counts = await leadCounts(stack);
    expect(counts.new + counts.lost).toBeGreaterThan(0);
    for (const status of statuses) {
      await expect(page.getByTestId(`column-count-${status}`)).toHaveText(
        shownCount(counts[status]),
      );
    }
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await shot(page, testInfo, 'pipeline-board');
  });

  let leadId = '';
  const before = await leadCounts(stack);

  await test.step('a new lead from the New lead dialog', async () => {
    await page.getByRole('button', { name: 'New lead' }).click();
    const dialog = page.getByRole('dialog', { name: 'New lead' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Phone').fill(PHONE);
    await dialog.getByLabel('Name').fill(NAME);
    await dialog.getByLabel('Service type').fill('Water Heater Repair');
    await dialog.getByLabel('Urgency').selectOption('high');
    await dialog.getByLabel('Source').selectOption('referral');
    await dialog.getByLabel('Description').fill('Pilot light keeps going out in the garage heater');
    await shot(page, testInfo, 'new-lead-dialog');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    await expect(dialog).toBeHidden();

    const created = column(page, 'new').getByRole('article', { name: new RegExp(`^${NAME}, New`) });
    await expect(created).toBeVisible();
    leadId = (await created.getAttribute('data-lead-id')) ?? '';
    expect(leadId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(page.getByTestId('column-count-new')).toHaveText(shownCount(before.new + 1));
    await expect(card(page, leadId)).toContainText(PHONE);
    await expect(card(page, leadId)).toContainText('Water Heater Repair');

    // Once pushed, PostgreSQL holds it as typed (phone normalised) and the card is no longer pending.
    await expect
      .poll(
        pollRow(stack, 'SELECT status, customer_phone, urgency, user_id FROM leads WHERE id = $1', [
          leadId,
        ]),
      )
      .toEqual({ status: 'new', customer_phone: PHONE_E164, urgency: 'high', user_id: business });
    await expect(card(page, leadId)).toHaveAttribute('aria-label', `${NAME}, New`);
  });

  await test.step('search finds it by part of its phone number and by name', async () => {
    const search = page.getByRole('searchbox', { name: 'Search leads' });
    for (const query of [PHONE_PART, 'fairweath']) {
      await search.fill(query);
      await expect(card(page, leadId)).toBeVisible();
      await expect(page.getByTestId('column-count-new')).toHaveText('1');
      for (const status of statuses.filter((s) => s !== 'new')) {
        await expect(page.getByTestId(`column-count-${status}`)).toHaveText('0');
      }
      await expect(page.getByRole('article')).toHaveCount(1);
    }
    await shot(page, testInfo, 'pipeline-search');
    await search.fill('');
    await expect(page.getByTestId('column-count-lost')).toHaveText(shownCount(before.lost));
  });

  await test.step('dragged to Contacted', async () => {
    await card(page, leadId).dragTo(column(page, 'contacted'));
    await expect(column(page, 'contacted').getByTestId(`lead-card-${leadId}`)).toBeVisible();
    await expect(card(page, leadId)).toHaveAttribute('data-status', 'contacted');
    await expect(column(page, 'new').getByTestId(`lead-card-${leadId}`)).toHaveCount(0);
    await expect(page.getByTestId('column-count-new')).toHaveText(shownCount(before.new));
    await expect(page.getByTestId('column-count-contacted')).toHaveText(
      shownCount(before.contacted + 1),
    );
  });

  await test.step('moved to Quoted, which asks the amount', async () => {
    await page.getByRole('button', { name: `Move ${NAME} to…` }).click();
    const choose = page.getByRole('dialog', { name: `Move ${NAME}` });
    await expect(choose.getByRole('button', { name: /Contacted/ })).toBeDisabled();
    await choose.getByRole('button', { name: 'Quoted' }).click();
    const quote = page.getByRole('dialog', { name: `Quote for ${NAME}` });
    const amount = quote.getByLabel('Amount quoted');
    await expect(amount).toBeFocused();
    await quote.getByRole('button', { name: 'Save quote' }).click();
    await expect(quote.getByText('Enter the amount quoted')).toBeVisible();
    await amount.fill('480');
    await shot(page, testInfo, 'move-dialog-quote');
    await quote.getByRole('button', { name: 'Save quote' }).click();
    await expect(quote).toBeHidden();
    await expect(column(page, 'quoted').getByTestId(`lead-card-${leadId}`)).toContainText(
      '$480.00',
    );
  });

  await test.step('moved to Booked from the menu; PostgreSQL agrees', async () => {
    await page.getByRole('button', { name: `Move ${NAME} to…` }).click();
    await page
      .getByRole('dialog', { name: `Move ${NAME}` })
      .getByRole('button', { name: 'Booked' })
      .click();
    await expect(column(page, 'booked').getByTestId(`lead-card-${leadId}`)).toBeVisible();
    await expect(card(page, leadId)).toHaveAttribute('data-status', 'booked');
    await expect
      .poll(
        pollRow(
          stack,
          `SELECT status, quoted_amount::text AS quoted, contacted_at IS NOT NULL AS contacted,
                  quoted_at IS NOT NULL AS quoted_stamped, booked_at IS NOT NULL AS booked
             FROM leads WHERE id = $1`,
          [leadId],
        ),
      )
      .toEqual({
        status: 'booked',
        quoted: '480.00',
        contacted: true,
        quoted_stamped: true,
        booked: true,
      });
    await expectSynced(page);
    const after = await leadCounts(stack);
    expect(after).toEqual({ ...before, booked: before.booked + 1 });
    for (const status of statuses) {
      await expect(page.getByTestId(`column-count-${status}`)).toHaveText(
        shownCount(after[status]),
      );
    }
  });

  await test.step('the list view counts every lead', async () => {
    await page.getByRole('button', { name: 'List', exact: true }).click();
    const total = Object.values(await leadCounts(stack)).reduce((sum, n) => sum + n, 0);
    await expect(page.getByTestId('list-total')).toHaveText(`${shownCount(total)} leads`);
    await page.getByRole('searchbox', { name: 'Search leads' }).fill('fairweath');
    await expect(page.getByTestId('list-total')).toHaveText('1 lead');
    await expect(page.getByTestId(`lead-row-${leadId}`)).toContainText('Booked');
    await expect(page.getByTestId(`lead-row-${leadId}`)).toContainText('$480.00');
    await page.getByRole('searchbox', { name: 'Search leads' }).fill('');
    await expect(page.getByTestId('list-total')).toHaveText(`${shownCount(total)} leads`);
    await shot(page, testInfo, 'pipeline-list');
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    await expect(page.getByTestId('column-booked')).toBeVisible();
  });

  await test.step('a SQL update on the server shows on the open board', async () => {
    const [target] = await stack.query<{ id: string; customer_name: string }>(
      `SELECT id, customer_name FROM leads WHERE user_id = $1 AND status = 'contacted'
        ORDER BY created_at DESC LIMIT 1`,
      [business],
    );
    if (!target) throw new Error('no contacted lead in the demo data');
    await expect(card(page, target.id)).toHaveAttribute(
      'aria-label',
      `${target.customer_name}, Contacted`,
    );
    await stack.query(`UPDATE leads SET customer_name = 'Changed On Server' WHERE id = $1`, [
      target.id,
    ]);
    await expect(card(page, target.id)).toHaveAttribute(
      'aria-label',
      'Changed On Server, Contacted',
    );
    await expect(card(page, target.id).getByRole('link')).toHaveText('Changed On Server');
    await page.getByRole('searchbox', { name: 'Search leads' }).fill('changed on serv');
    await expect(page.getByRole('article')).toHaveCount(1);
    await page.getByRole('searchbox', { name: 'Search leads' }).fill('');
  });

  await test.step('a missed call inserted on the server raises the Calls badge', async () => {
    // Opening Calls marks every missed call seen: the badge starts from nothing.
    await page.getByTestId('nav-calls').click();
    await expect(page.getByTestId('screen-calls')).toBeVisible();
    await expect(page.getByTestId('nav-badge-calls')).toHaveCount(0);
    await page.getByTestId('nav-pipeline').click();
    await expect(page.getByTestId('column-booked')).toBeVisible();

    const [business_phone] = await stack.query<{ primary_phone: string }>(
      'SELECT primary_phone FROM users WHERE id = $1',
      [business],
    );
    const [call] = await stack.query<{ id: string }>(
      `INSERT INTO call_logs (user_id, lead_id, caller_phone, called_phone, call_status,
                              call_direction, call_duration)
       VALUES ($1, $2, $3, $4, 'no_answer', 'inbound', 0) RETURNING id`,
      [business, leadId, PHONE_E164, business_phone?.primary_phone],
    );
    if (!call) throw new Error('the call was not inserted');
    await expect(page.getByTestId('nav-badge-calls')).toHaveText('1');
    await expect(page.getByTestId('nav-badge-calls')).toHaveAttribute('aria-label', '1 missed');

    await page.getByTestId('nav-calls').click();
    const row = page.getByTestId(`call-row-${call.id}`);
    await expect(row).toHaveAttribute('data-missed', 'true');
    await expect(row).toContainText(NAME);
    await expect(row).toContainText('Missed');
    // Missed calls first, newest first: it leads the log.
    await expect(page.locator('[data-testid^="call-row-"]').first()).toHaveAttribute(
      'data-testid',
      `call-row-${call.id}`,
    );
    await expect(page.getByTestId('nav-badge-calls')).toHaveCount(0);
  });

  expect(await page.evaluate('globalThis.e2eMarker')).toBe('still here');
});

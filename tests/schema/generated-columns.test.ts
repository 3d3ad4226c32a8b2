/**
 * financials.cpl, conversion_rate and roi are GENERATED ALWAYS … STORED: computed by PostgreSQL
 * from the day's figures, rounded to the column's two decimals, never written by anyone.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { backends } from '../support/databases.ts';
import { insertUser, insertValid, one, refusal, type Row, useFreshDatabase } from './fixtures.ts';

interface Metrics extends Record<string, unknown> {
  cpl: string;
  conversion_rate: string;
  roi: string;
}

const metricsOf = (db: AppDatabase, id: string) =>
  one<Metrics>(
    db,
    sql`SELECT cpl::text, conversion_rate::text, roi::text FROM financials WHERE id = ${id}`,
  );

/**
 * cpl = ad_spend / leads_generated, conversion_rate = leads_booked / leads_generated * 100,
 * roi = (revenue - ad_spend) / ad_spend * 100; 0 when the divisor is 0. Worked by hand.
 */
const days: { day: string; figures: Row; expected: Metrics }[] = [
  {
    day: 'a plain day: 100.00 spent, 4 leads, 1 booked, 300.00 earned',
    figures: { ad_spend: '100.00', leads_generated: 4, leads_booked: 1, revenue: '300.00' },
    expected: { cpl: '25.00', conversion_rate: '25.00', roi: '200.00' },
  },
  {
    day: 'thirds round down: 100/3 = 33.333…, 1/3 = 33.333… %, 150/100 = 150 %',
    figures: { ad_spend: '100.00', leads_generated: 3, leads_booked: 1, revenue: '250.00' },
    expected: { cpl: '33.33', conversion_rate: '33.33', roi: '150.00' },
  },
  {
    day: 'sixths round up: 100/6 = 16.666…, 4/6 = 66.666… %; nothing earned is -100 %',
    figures: { ad_spend: '100.00', leads_generated: 6, leads_booked: 4, revenue: '0.00' },
    expected: { cpl: '16.67', conversion_rate: '66.67', roi: '-100.00' },
  },
  {
    day: 'sevenths: 300/7 = 42.857…, 2/7 = 28.571… %, (100.01 - 300)/300 = -66.663… %',
    figures: { ad_spend: '300.00', leads_generated: 7, leads_booked: 2, revenue: '100.01' },
    expected: { cpl: '42.86', conversion_rate: '28.57', roi: '-66.66' },
  },
  {
    day: 'half a cent rounds away from zero: 0.01/2 = 0.005 → 0.01',
    figures: { ad_spend: '0.01', leads_generated: 2, leads_booked: 1, revenue: '0.02' },
    expected: { cpl: '0.01', conversion_rate: '50.00', roi: '100.00' },
  },
  {
    day: 'no leads generated: cpl and conversion_rate are 0, not a division by zero',
    figures: { ad_spend: '80.00', leads_generated: 0, leads_booked: 0, revenue: '200.00' },
    expected: { cpl: '0.00', conversion_rate: '0.00', roi: '150.00' },
  },
  {
    day: 'nothing spent: roi is 0, not a division by zero',
    figures: { ad_spend: '0.00', leads_generated: 5, leads_booked: 2, revenue: '500.00' },
    expected: { cpl: '0.00', conversion_rate: '40.00', roi: '0.00' },
  },
  {
    day: 'an empty day (all defaults)',
    figures: {},
    expected: { cpl: '0.00', conversion_rate: '0.00', roi: '0.00' },
  },
];

describe.each(backends)('financials generated columns on %s', (backend) => {
  const db = useFreshDatabase(backend);

  it('computes cpl, conversion_rate and roi, rounded to 2 decimals, 0 on a zero divisor', async () => {
    const userId = await insertUser(db());
    for (const { day, figures, expected } of days) {
      const id = await insertValid(db(), 'financials', { userId }, figures);
      expect.soft(await metricsOf(db(), id), day).toEqual(expected);
    }
  });

  it('stores a high-conversion day (1 lead, 15 booked = 1500.00 %) that DECIMAL(5,2) would overflow', async () => {
    const userId = await insertUser(db());
    const id = await insertValid(
      db(),
      'financials',
      { userId },
      { ad_spend: '40.00', leads_generated: 1, leads_booked: 15, revenue: '6000.00' },
    );
    expect(await metricsOf(db(), id)).toEqual({
      cpl: '40.00',
      conversion_rate: '1500.00',
      roi: '14900.00',
    });
    // Why the seed's type was widened: DECIMAL(5,2) holds at most 999.99.
    const seedType = await refusal(one(db(), sql`SELECT (1500.00)::numeric(5,2) AS rate`));
    expect(seedType.details?.sqlState).toBe('22003'); // numeric_value_out_of_range
  });

  it('never overflows at the extremes the input columns allow', async () => {
    const userId = await insertUser(db());
    // Every booking counted against a single lead: 2147483647 / 1 * 100 %.
    const bookings = await insertValid(
      db(),
      'financials',
      { userId },
      { leads_generated: 1, leads_booked: 2147483647 },
    );
    expect((await metricsOf(db(), bookings)).conversion_rate).toBe('214748364700.00');
    // The largest revenue on the smallest spend: (99999999.99 - 0.01) / 0.01 * 100 %.
    const returns = await insertValid(
      db(),
      'financials',
      { userId },
      { ad_spend: '0.01', revenue: '99999999.99', leads_generated: 1 },
    );
    expect(await metricsOf(db(), returns)).toEqual({
      cpl: '0.01',
      conversion_rate: '0.00',
      roi: '999999999800.00',
    });
  });

  it('recomputes the metrics when the day’s figures are updated', async () => {
    const userId = await insertUser(db());
    const id = await insertValid(
      db(),
      'financials',
      { userId },
      { ad_spend: '100.00', leads_generated: 4, leads_booked: 1, revenue: '300.00' },
    );
    await one(
      db(),
      sql`UPDATE financials SET leads_generated = 5, leads_booked = 2, ad_spend = 150.00
          WHERE id = ${id} RETURNING id`,
    );
    expect(await metricsOf(db(), id)).toEqual({
      cpl: '30.00',
      conversion_rate: '40.00',
      roi: '100.00',
    });
  });

  it.each(['cpl', 'conversion_rate', 'roi'])(
    'refuses an INSERT or UPDATE that writes %s',
    async (column) => {
      const userId = await insertUser(db());
      const inserting = await refusal(
        insertValid(db(), 'financials', { userId }, { [column]: '1.00' }),
      );
      expect(inserting.details?.sqlState).toBe('428C9'); // generated_always
      expect(inserting.message).toContain(column);

      const id = await insertValid(
        db(),
        'financials',
        { userId },
        { ad_spend: '100.00', leads_generated: 4, leads_booked: 1, revenue: '300.00' },
      );
      const updating = await refusal(
        one(
          db(),
          sql`UPDATE financials SET ${sql.identifier(column)} = 1.00 WHERE id = ${id} RETURNING id`,
        ),
      );
      expect(updating.details?.sqlState).toBe('428C9');
      expect(updating.message).toContain(column);
      expect(await metricsOf(db(), id)).toEqual({
        cpl: '25.00',
        conversion_rate: '25.00',
        roi: '200.00',
      });
    },
  );
});

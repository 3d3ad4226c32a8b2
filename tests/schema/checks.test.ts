/**
 * Every CHECK constraint of the schema, driven by the spec (seed-spec.ts): the enumerated values are
 * the ones the seed's comments list (for the tables beyond the seed, the spec's own transcription),
 * not db/enums.ts. For each checked column, bad values are refused as CHECK_VIOLATION naming
 * `table.column` (fromDatabaseError), on INSERT and on UPDATE, good values are accepted, and an
 * enumeration's CHECK lists exactly the spec's values. Soft expectations, each labelled with its
 * column and value, so every refusal that is missing shows.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { fromDatabaseError } from '../../db/postgres/errors.ts';
import { backends } from '../support/databases.ts';
import {
  ARGON2ID_HASH,
  insertBusiness,
  insertUser,
  insertValid,
  jsonb,
  one,
  type Parents,
  parentsFor,
  refusal,
  type Row,
  rowKey,
  SEALED_TOKEN,
  type TableName,
  textArray,
  type Value,
  useFreshDatabase,
} from './fixtures.ts';
import { expectedSchema, type SpecCheck } from './seed-spec.ts';

interface Samples {
  refused: Value[];
  accepted: Value[];
  /** Other columns every sample row sets (a rule that ties the column to another one). */
  base?: Row;
  /** Whole rows (over the fixture row) that must be refused too. */
  refusedRows?: Row[];
}

const flipCase = (value: string) =>
  value === value.toLowerCase() ? value.toUpperCase() : value.toLowerCase();

/** The columns whose rule the spec can only describe in words, with values worked out by hand. */
const otherSamples: Record<string, Samples> = {
  'users.country': { refused: ['us', 'U1'], accepted: ['US', 'CA'] },
  'users.service_types': { refused: [sql`ARRAY[]::text[]`], accepted: [textArray(['hvac'])] },
  'leads.customer_email': {
    refused: ['no-at-sign', '@example.com'],
    accepted: ['Customer@Example.com', null],
  },
  'subscriptions.currency': { refused: ['usd', 'US1'], accepted: ['USD', 'EUR'] },
  // current_period_start is now() in the fixture row.
  'subscriptions.current_period_end': {
    refused: ['2000-01-01T00:00:00Z'],
    accepted: [sql`now()`, sql`now() + interval '1 year'`],
  },
  // A revoked session says why, from a fixed list; a live one (the fixture row) gives no reason.
  'auth_sessions.revoked_reason': {
    base: { revoked_at: sql`now()` },
    refused: [null, 'bogus', 'LOGOUT'],
    accepted: ['logout', 'refresh_token_reuse', 'member_disabled', 'password_changed'],
    refusedRows: [{ revoked_reason: 'logout' }],
  },
  // seq is 10 in the fixture row.
  'sync_heads.pruned_through': { refused: [11], accepted: [0, 10] },
  // btrim without characters trims spaces only.
  'lead_notes.body': {
    refused: ['', ' ', '      '],
    accepted: ['Gate code 4411', ' x ', 'Dog in the yard.\nCall before entering.'],
  },
};

/** VARCHAR(n) and CHAR(n): the longest text the column holds, so a sample is not simply too long. */
const maxLength = (type: string | undefined): number =>
  Number(/^(?:VAR)?CHAR\((\d+)\)$/.exec(type ?? '')?.[1] ?? Infinity);

function samplesFor(check: SpecCheck): Samples {
  const { rule } = check;
  const column = expectedSchema.tables
    .find((t) => t.name === check.table)
    ?.columns.find((c) => c.name === check.column);
  switch (rule.kind) {
    case 'one of':
      return {
        // Cut to the column's length, or CHAR(1) would refuse 'bogus' as too long, not as unlisted.
        refused: ['bogus'.slice(0, maxLength(column?.type)), flipCase(rule.values[0] ?? 'x'), ''],
        accepted: [...rule.values],
      };
    case 'E.164 phone':
      return {
        refused: [
          '512-555-1234',
          '15125551234',
          '+0125551234',
          '+1 512 555 1234',
          '+1234567890123456',
        ],
        accepted: ['+15125551234', '+442071838750', '+123456789012345'],
      };
    case 'lowercase email':
      return {
        refused: ['Owner@Example.com', 'no-at-sign.example'],
        accepted: ['owner@example.com'],
      };
    case 'argon2id hash':
      return {
        refused: [
          '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy', // bcrypt, as in the seed
          '$argon2i$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$aGFzaA',
          'hunter2',
        ],
        accepted: [ARGON2ID_HASH],
      };
    case 'sealed token':
      return {
        refused: ['ya29.a0AfH6SMBplaintext-access-token', 'enc:v2:abc', 'ENC:V1:abc'],
        accepted: [SEALED_TOKEN, null],
      };
    case 'minimum': {
      const money = column?.type.startsWith('DECIMAL') ?? false;
      return money
        ? { refused: [`${rule.min - 0.01}`], accepted: [`${rule.min}.00`, '12345.67'] }
        : { refused: [rule.min - 1, -2147483648], accepted: [rule.min, 2147483647] };
    }
    case 'between':
      return { refused: [rule.low - 1, rule.high + 1], accepted: [rule.low, rule.high] };
    case 'IANA time zone':
      return {
        refused: [
          'Mars/Olympus',
          'Europe/Berlin ',
          '',
          'EST5EDT,M3.2.0/2,M11.1.0',
          'UTC+3',
          'America/Chicag0',
          'Etc/GMT+13',
        ],
        accepted: [
          'America/New_York',
          'Europe/Berlin',
          'Asia/Kolkata',
          'UTC',
          'Etc/GMT-14',
          'America/Port-au-Prince',
        ],
      };
    case 'JSON object':
      return {
        refused: [jsonb([1, 2]), jsonb('text'), jsonb(42), jsonb(null)],
        accepted: [jsonb({}), jsonb({ cpl_change: -5, conversion_change: 2 })],
      };
    case 'other': {
      const samples = otherSamples[`${check.table}.${check.column}`];
      if (!samples) throw new Error(`no samples for ${check.table}.${check.column}`);
      return samples;
    }
  }
}

const describeRule = (check: SpecCheck): string => {
  const { rule } = check;
  switch (rule.kind) {
    case 'one of':
      return `one of ${rule.values.join(', ')}`;
    case 'minimum':
      return `at least ${rule.min}`;
    case 'between':
      return `between ${rule.low} and ${rule.high}`;
    case 'other':
      return rule.what;
    case 'E.164 phone':
    case 'lowercase email':
    case 'argon2id hash':
    case 'sealed token':
    case 'IANA time zone':
    case 'JSON object':
      return rule.kind;
  }
};

const label = (value: Value): string =>
  value === null ? 'NULL' : typeof value === 'object' ? 'an SQL value' : JSON.stringify(value);

/** Every check of one column: good values in, bad values out (INSERT and UPDATE), nothing else. */
async function exerciseCheck(db: AppDatabase, business: Parents, check: SpecCheck): Promise<void> {
  const name = `${check.table}.${check.column}`;
  const rule = describeRule(check);
  const table = check.table as TableName;
  const { refused, accepted, base = {}, refusedRows = [] } = samplesFor(check);
  // Each row with what it needs of its own (a Twilio record, its own call log: parentsFor).
  const insertWith = async (row: Row) =>
    table === 'users'
      ? insertUser(db, row)
      : insertValid(db, table, await parentsFor(db, table, business), row);
  const insert = (value: Value) => insertWith({ ...base, [check.column]: value });

  let acceptedId: string | undefined;
  for (const value of accepted) {
    const outcome = await insert(value).then(
      (id) => {
        acceptedId = id;
        return 'accepted';
      },
      (error: unknown) => fromDatabaseError(error).message,
    );
    expect.soft(outcome, `INSERT ${name} = ${label(value)} (${rule})`).toBe('accepted');
  }
  for (const value of refused) {
    const error = await refusal(insert(value)).catch((e: Error) => e);
    expect.soft(error, `INSERT ${name} = ${label(value)} (${rule})`).toMatchObject({
      code: 'CHECK_VIOLATION',
      message: expect.stringContaining(`${name}:`) as unknown,
    });
  }
  for (const row of refusedRows) {
    const error = await refusal(insertWith(row)).catch((e: Error) => e);
    expect.soft(error, `INSERT ${name} with ${JSON.stringify(row)} (${rule})`).toMatchObject({
      code: 'CHECK_VIOLATION',
      message: expect.stringContaining(`${name}:`) as unknown,
    });
  }
  // An UPDATE cannot get round the constraint either.
  const updated = await refusal(
    one(
      db,
      sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(check.column)} = ${refused[0] ?? null}
          WHERE ${sql.identifier(rowKey(table))}::text = ${acceptedId ?? null} RETURNING 1`,
    ),
  ).catch((e: Error) => e);
  expect.soft(updated, `UPDATE ${name} = ${label(refused[0] ?? null)}`).toMatchObject({
    code: 'CHECK_VIOLATION',
    message: expect.stringContaining(`${name}:`) as unknown,
  });
  // An enumeration admits no value beyond the listed ones: read its list back from the catalog.
  if (check.rule.kind === 'one of') {
    const { definition } = await one<{ definition: string }>(
      db,
      sql`SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
          WHERE conname = ${`${check.table}_${check.column}_check`}`,
    );
    const listed = [...definition.matchAll(/'([^']*)'/g)].map((m) => m[1]);
    expect
      .soft([...listed].sort(), `${name}: the values its CHECK lists`)
      .toEqual([...check.rule.values].sort());
  }
}

/** One test per table (a fresh database each costs a second or two on PGlite); columns named. */
const cases = [...new Set(expectedSchema.checks.map((c) => c.table))].map((table) => {
  const checks = expectedSchema.checks.filter((c) => c.table === table);
  const summary = checks.map((c) => c.column).join(', ');
  return [table, summary, checks] as const;
});

describe.each(backends)('CHECK constraints on %s', (backend) => {
  const db = useFreshDatabase(backend);

  it.each(cases)('%s: %s', async (_table, _summary, checks) => {
    const business = await insertBusiness(db());
    // A session needs a member of the business, a note a lead.
    const memberId = await insertValid(db(), 'members', business);
    const leadId = await insertValid(db(), 'leads', business);
    for (const check of checks) {
      await exerciseCheck(db(), { ...business, memberId, leadId }, check);
    }
  });

  it('refuses the seed’s own example user (a bcrypt password hash)', async () => {
    const error = await refusal(
      one(
        db(),
        sql`INSERT INTO users (email, password_hash, business_name, owner_name, primary_phone,
                               city, state, service_types, service_area)
            VALUES ('john@plumbing.com', '$2b$10$...', 'John''s Plumbing', 'John Smith',
                    '+15125551234', 'Austin', 'TX', ARRAY['plumbing', 'drain_cleaning'],
                    'Austin, TX - 30 mile radius')
            RETURNING id`,
      ),
    );
    expect(error.code).toBe('CHECK_VIOLATION');
    expect(error.message).toContain('users.password_hash:');
  });
});

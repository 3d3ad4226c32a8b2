/**
 * The shape `where` compiler: the exact SQL and bound params it writes, what it refuses and why,
 * hostile inputs, and compiled clauses run against real databases (PostgreSQL and PGlite), where
 * they must return exactly the expected rows of one business and never another's.
 */
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { type PgColumn, PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../db/errors.ts';
import { queryRows } from '../../db/postgres/client.ts';
import { leads } from '../../db/postgres/schema/leads.ts';
import { users } from '../../db/postgres/schema/users.ts';
import { insertBusiness, insertValid, textArray } from '../../tests/schema/fixtures.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { compileWhere, parseParams, type WhereColumn, whereLimits } from './where.ts';

/** pg_type.typname of a drizzle column; the database test checks these against pg_attribute. */
function typnameOf(column: PgColumn): string {
  const declared = column.getSQLType().replace(/\(.*\)$/, '');
  const typnames: Record<string, string> = {
    'timestamp with time zone': 'timestamptz',
    integer: 'int4',
    boolean: 'bool',
    'text[]': '_text',
  };
  return typnames[declared] ?? declared;
}

const columnsOf = (table: typeof leads | typeof users): Map<string, WhereColumn> =>
  new Map(
    Object.values(getTableColumns(table)).map((column: PgColumn) => [
      column.name,
      { name: column.name, type: typnameOf(column) },
    ]),
  );

const leadColumns = columnsOf(leads);
const userColumns = columnsOf(users);
const dialect = new PgDialect();

type Params = Record<number, string>;
const paramMap = (params: Params): Map<number, string> =>
  new Map(Object.entries(params).map(([key, value]) => [Number(key), value]));

const compile = (where: string, params: Params = {}, columns = leadColumns): SQL =>
  compileWhere(where, paramMap(params), columns, 't');

const toQuery = (where: string, params: Params = {}, columns = leadColumns) =>
  dialect.sqlToQuery(compile(where, params, columns));

/** The SHAPE_INVALID error a clause is refused with; fails the test if it compiles. */
function refusal(where: string, params: Params = {}, columns = leadColumns): AppError {
  try {
    compile(where, params, columns);
  } catch (error) {
    if (error instanceof AppError && error.code === 'SHAPE_INVALID') return error;
    throw error;
  }
  throw new Error(`compiled, but should have been refused: ${where}`);
}

/**
 * What any compiled clause must look like: one parenthesized group from first to last character
 * (so `tenant AND <fragment>` cannot be re-associated), and no quote character at all (every
 * literal went out as a bound parameter, never as text).
 */
function expectContained(text: string): void {
  expect(text).not.toContain("'");
  expect(text.startsWith('(')).toBe(true);
  let depth = 0;
  for (const [index, ch] of [...text].entries()) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (depth === 0) expect(index).toBe([...text].length - 1);
  }
}

const UUID_A = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('compileWhere writes', () => {
  const cases: [string, Params, string, unknown[]][] = [
    ["status = 'new'", {}, '(t."status" = CAST($1 AS varchar))', ['new']],
    ['"status" <> $1', { 1: 'lost' }, '(t."status" <> CAST($1 AS varchar))', ['lost']],
    ["status != 'lost'", {}, '(t."status" <> CAST($1 AS varchar))', ['lost']],
    [
      "STATUS in ('new', 'quoted') and Customer_Name is not null",
      {},
      '((t."status" IN (CAST($1 AS varchar), CAST($2 AS varchar))) AND (t."customer_name" IS NOT NULL))',
      ['new', 'quoted'],
    ],
    [
      // AND binds tighter than OR, NOT tighter than AND: the output spells the grouping out.
      "status = 'new' OR status = 'lost' AND NOT quoted_amount > 100",
      {},
      '((t."status" = CAST($1 AS varchar)) OR ((t."status" = CAST($2 AS varchar)) AND (NOT (t."quoted_amount" > CAST($3 AS numeric)))))',
      ['new', 'lost', '100'],
    ],
    [
      "(status = 'new' OR status = 'lost') AND source = 'referral'",
      {},
      '(((t."status" = CAST($1 AS varchar)) OR (t."status" = CAST($2 AS varchar))) AND (t."source" = CAST($3 AS varchar)))',
      ['new', 'lost', 'referral'],
    ],
    [
      "customer_name ILIKE '%o''brien%'",
      {},
      '(t."customer_name" ILIKE CAST($1 AS varchar))',
      ["%o'brien%"],
    ],
    ["customer_name NOT LIKE 'A%'", {}, '(t."customer_name" NOT LIKE CAST($1 AS varchar))', ['A%']],
    [
      'quoted_amount BETWEEN 100 AND 250.50',
      {},
      '(t."quoted_amount" BETWEEN CAST($1 AS numeric) AND CAST($2 AS numeric))',
      ['100', '250.50'],
    ],
    [
      'quoted_amount NOT BETWEEN -1 AND $1',
      { 1: '7.5' },
      '(t."quoted_amount" NOT BETWEEN CAST($1 AS numeric) AND CAST($2 AS numeric))',
      ['-1', '7.5'],
    ],
    [
      "created_at >= '2024-02-01T00:00:00Z'",
      {},
      '(t."created_at" >= CAST($1 AS timestamptz))',
      ['2024-02-01T00:00:00Z'],
    ],
    [
      'created_at::date = $1',
      { 1: '2024-02-10' },
      '(CAST(t."created_at" AS date) = CAST($1 AS date))',
      ['2024-02-10'],
    ],
    ['user_id = $1', { 1: UUID_A }, '(t."user_id" = CAST($1 AS uuid))', [UUID_A]],
    ["id::text LIKE '0f8f%'", {}, '(CAST(t."id" AS text) LIKE CAST($1 AS text))', ['0f8f%']],
    ['lost_reason IS NULL', {}, '(t."lost_reason" IS NULL)', []],
    ['status = NULL', {}, '(t."status" = CAST($1 AS varchar))', [null]],
    ["'2024-01-01'::date < created_at", {}, '(CAST($1 AS date) < t."created_at")', ['2024-01-01']],
    ['1 = 1', {}, '(CAST($1 AS numeric) = CAST($2 AS numeric))', ['1', '1']],
    ['TRUE', {}, '(CAST($1 AS boolean))', ['true']],
  ];
  it.each(cases)('%s', (where, params, text, values) => {
    const query = toQuery(where, params);
    expect(query.sql).toBe(text);
    expect(query.params).toEqual(values);
    expectContained(query.sql);
  });

  const userCases: [string, Params, string, unknown[]][] = [
    ['onboarding_completed', {}, '(t."onboarding_completed")', []],
    ['onboarding_completed IS NOT TRUE', {}, '(t."onboarding_completed" IS NOT TRUE)', []],
    [
      "onboarding_completed = 'yes'",
      {},
      '(t."onboarding_completed" = CAST($1 AS boolean))',
      ['yes'],
    ],
    ['years_in_business > 5', {}, '(t."years_in_business" > CAST($1 AS int4))', ['5']],
    // A fraction or an out-of-range number compares as numeric, as Postgres itself would.
    ['years_in_business = 2.5', {}, '(t."years_in_business" = CAST($1 AS numeric))', ['2.5']],
    [
      'years_in_business < 3000000000',
      {},
      '(t."years_in_business" < CAST($1 AS numeric))',
      ['3000000000'],
    ],
    ["'hvac' = ANY(service_types)", {}, '(CAST($1 AS text) = ANY(t."service_types"))', ['hvac']],
    [
      "service_types @> ARRAY['plumbing', $1]",
      { 1: 'hvac' },
      '(t."service_types" @> ARRAY[CAST($1 AS text), CAST($2 AS text)])',
      ['plumbing', 'hvac'],
    ],
    ['service_types <@ ARRAY[]', {}, '(t."service_types" <@ CAST(ARRAY[] AS text[]))', []],
    [
      'service_types && $1',
      { 1: '{hvac}' },
      '(t."service_types" && CAST($1 AS text[]))',
      ['{hvac}'],
    ],
    [
      'onboarding_step = ANY(ARRAY[1, 2])',
      {},
      '(t."onboarding_step" = ANY(ARRAY[CAST($1 AS int4), CAST($2 AS int4)]))',
      ['1', '2'],
    ],
    [
      'status = ANY($1)',
      { 1: '{active}' },
      '(t."status" = ANY(CAST($1 AS varchar[])))',
      ['{active}'],
    ],
  ];
  it.each(userCases)('%s (users)', (where, params, text, values) => {
    const query = toQuery(where, params, userColumns);
    expect(query.sql).toBe(text);
    expect(query.params).toEqual(values);
    expectContained(query.sql);
  });

  it('uses the alias it is given and quotes column names it maps to', () => {
    const columns = new Map([['kind', { name: 'Kind "x"', type: 'text' }]]);
    const query = dialect.sqlToQuery(compileWhere("kind = 'a'", new Map(), columns, 'leads_1'));
    expect(query.sql).toBe('(leads_1."Kind ""x""" = CAST($1 AS text))');
  });

  it('refuses an alias that is not a plain name, as a programming error', () => {
    expect(() => compileWhere("status = 'new'", new Map(), leadColumns, 't; --')).toThrow(
      'alias "t; --" is not a plain identifier',
    );
  });
});

describe('compileWhere refuses', () => {
  const cases: [string, Params, string][] = [
    ["status = 'new' AND passwrd = 'x'", {}, 'where: unknown column "passwrd" at position 20'],
    ['"Status" = \'new\'', {}, 'where: unknown column "Status" at position 1'],
    ['', {}, 'where: the where clause is empty'],
    ['   \n ', {}, 'where: the where clause is empty'],
    [
      'status = $2',
      { 1: 'new' },
      'where: parameter $2 is not given (send it as params[2]) at position 10',
    ],
    [
      'status = $0',
      {},
      'where: parameter $0 does not exist: parameters start at $1 at position 10',
    ],
    [
      "user_id = 'not-a-uuid'",
      {},
      `where: 'not-a-uuid' is not a valid uuid (to compare with column "user_id") at position 11`,
    ],
    [
      'user_id IN ($1)',
      { 1: 'abc' },
      `where: $1 ('abc') is not a valid uuid (to compare with column "user_id") at position 13`,
    ],
    [
      'status = 5',
      {},
      'where: expected varchar (to compare with column "status") but found the number 5 at position 10',
    ],
    [
      "quoted_amount > 'lots'",
      {},
      `where: 'lots' is not a valid numeric (to compare with column "quoted_amount") at position 17`,
    ],
    [
      "id LIKE '0f%'",
      {},
      'where: LIKE needs text but column "id" is uuid; cast it with ::text at position 1',
    ],
    [
      'status = user_id',
      {},
      'where: cannot compare column "status" (varchar) with column "user_id" (uuid) at position 10',
    ],
    ['status', {}, 'where: expected a condition but column "status" is varchar at position 1'],
    [
      "(status = 'new'",
      {},
      'where: expected ")" to close the "(" at position 1 but found end of the where clause at position 16',
    ],
    ["status = 'new')", {}, 'where: unexpected ")" at position 15'],
    ["status = 'new", {}, 'where: unterminated string starting at position 10'],
    ['"status = 1', {}, 'where: unterminated quoted identifier starting at position 1'],
    ["status = 'new' 'x'", {}, "where: unexpected 'x' at position 16"],
    ["status = 'new' foo", {}, 'where: unexpected FOO at position 16'],
    ["status = 'a' = 'b'", {}, 'where: unexpected "=" at position 14'],
    ['status IN ()', {}, 'where: IN () needs at least one value at position 12'],
    ['id::int = 1', {}, 'where: cannot cast column "id" (uuid) to int4 at position 1'],
    [
      "status::varchar(10) = 'x'",
      {},
      'where: type modifiers like varchar(…) are not allowed at position 16',
    ],
    [
      "status IS DISTINCT FROM 'x'",
      {},
      'where: expected NULL, TRUE or FALSE after IS but found DISTINCT at position 11',
    ],
    ['quoted_amount = 1e5', {}, 'where: malformed number "1e" at position 17'],
    ["id = 'nope'::uuid", {}, `where: 'nope' is not a valid uuid (for ::uuid) at position 6`],
    [
      "ARRAY['a'] = ARRAY['b']",
      {},
      'where: cannot tell the type of ARRAY[…]: compare it with an array column or cast it, e.g. ::text[] at position 1',
    ],
    [
      "status @> ARRAY['a']",
      {},
      'where: expected varchar (to compare with column "status") but found ARRAY[…] at position 11',
    ],
    [
      "'x' = ANY(status)",
      {},
      'where: ANY(…) needs an array but column "status" is varchar at position 11',
    ],
  ];
  it.each(cases)('%s', (where, params, message) => {
    expect(refusal(where, params).message).toBe(message);
  });

  it('refuses a clause longer than the limit, and takes one at it', () => {
    const at = `status = '${'x'.repeat(whereLimits.length - 11)}'`;
    expect(at).toHaveLength(whereLimits.length);
    expect(() => compile(at)).not.toThrow();
    expect(refusal(`${at} `).message).toBe(
      `where: longer than ${whereLimits.length} characters (${whereLimits.length + 1})`,
    );
  });

  it(`refuses nesting deeper than ${whereLimits.depth} levels, and takes ${whereLimits.depth}`, () => {
    const nest = (levels: number) => `${'('.repeat(levels)}status = 'new'${')'.repeat(levels)}`;
    expect(toQuery(nest(whereLimits.depth)).sql).toBe('(t."status" = CAST($1 AS varchar))');
    expect(refusal(nest(whereLimits.depth + 1)).message).toBe(
      `where: nesting deeper than ${whereLimits.depth} levels at position ${whereLimits.depth + 1}`,
    );
    expect(refusal(`${'NOT '.repeat(whereLimits.depth + 1)}status IS NULL`).message).toMatch(
      /^where: nesting deeper than 32 levels at position \d+$/,
    );
  });

  it(`refuses an IN list of more than ${whereLimits.inItems} values, and takes ${whereLimits.inItems}`, () => {
    const list = (n: number) =>
      `status IN (${Array.from({ length: n }, (_, i) => `'s${i}'`).join(', ')})`;
    expect(toQuery(list(whereLimits.inItems)).params).toHaveLength(whereLimits.inItems);
    expect(refusal(list(whereLimits.inItems + 1)).message).toBe(
      `where: IN lists more than ${whereLimits.inItems} values at position 8`,
    );
  });

  it('refuses a column whose type it cannot filter on', () => {
    const columns = new Map([['doc', { name: 'doc', type: 'tsvector' }]]);
    expect(refusal('doc IS NULL', {}, columns).message).toBe(
      'where: column "doc" has type tsvector, which a where clause cannot filter on at position 1',
    );
  });
});

/**
 * Hostile clauses. Each is refused (with the reason it must name), or compiles into a fragment
 * that the database test below runs with the tenant filter to show it returns only what it should.
 */
interface Hostile {
  where: string;
  params?: Params;
  /** A fragment of the refusal message, or `rows` for the ones that compile. */
  refused?: string;
  /** Names of business A's leads it returns (see the fixtures below). */
  rows?: string[];
}
const allOfA = ['ana', 'bob', 'cy', 'dee'];
const hostile: Hostile[] = [
  { where: '1=1) OR (1=1', refused: 'unexpected ")" at position 4' },
  { where: "status = 'x'; DROP TABLE leads", refused: '";" is not allowed' },
  { where: "status = 'x' --", refused: 'comments are not allowed at position 14' },
  { where: "status = 'x' /* */ OR 1=1", refused: 'comments are not allowed' },
  { where: "status = '\\' OR 1=1 --'", refused: 'comments are not allowed' },
  { where: '(SELECT 1) = 1', refused: 'SELECT is not allowed' },
  { where: 'status IN (SELECT status FROM leads)', refused: 'SELECT is not allowed' },
  { where: 'id = ANY(SELECT id FROM leads)', refused: 'SELECT is not allowed' },
  { where: "status = 'new' UNION SELECT id FROM users", refused: 'unexpected UNION' },
  { where: 'EXISTS (SELECT 1 FROM users)', refused: 'EXISTS is not allowed' },
  { where: 'pg_sleep(1) IS NULL', refused: 'function calls are not allowed: pg_sleep(…)' },
  { where: '"lower"(status) = \'new\'', refused: 'function calls are not allowed: "lower"(…)' },
  { where: "status = CAST('new' AS text)", refused: 'CAST(… AS …) is not supported' },
  { where: "status::regclass = 'leads'", refused: 'cast to regclass is not allowed' },
  { where: "leads.status = 'new'", refused: 'qualified names like leads.… are not allowed' },
  { where: '"t"."user_id" IS NOT NULL', refused: 'qualified names like "t".… are not allowed' },
  {
    where: "status = 'new' OR pg_catalog.pg_sleep(5) IS NULL",
    refused: 'qualified names like pg_catalog.…',
  },
  { where: 'status = ’new’ OR ’1’=’1’', refused: 'unexpected character "’" (U+2019)' },
  { where: 'status = \uFF07new\uFF07', refused: 'unexpected character "＇" (U+FF07)' },
  { where: "\u0455tatus = 'new'", refused: 'unexpected character "ѕ" (U+0455) at position 1' },
  { where: "status = U&'\\0027 OR 1=1'", refused: "prefixed strings like U&'…'" },
  { where: "status = E'\\' OR 1=1 --'", refused: "prefixed strings like E'…'" },
  { where: 'status = $$new$$', refused: 'dollar quoting is not allowed' },
  { where: "status = 'new\u0000' OR TRUE", refused: 'NUL characters are not allowed' },
  { where: "status = 'x' OR TRUE; SET ROLE postgres", refused: '";" is not allowed' },
  { where: 'status = $1', params: {}, refused: 'parameter $1 is not given' },
  {
    where: `${"status = 'new' OR ".repeat(250)}status = 'lost'`,
    refused: 'longer than 4000 characters',
  },
  { where: `${'('.repeat(500)}TRUE${')'.repeat(500)}`, refused: 'nesting deeper than 32 levels' },
  {
    where: `status IN (${Array.from({ length: 501 }, () => "'x'").join(',')})`,
    refused: 'IN lists more than 500 values',
  },
  // These compile: a client may widen nothing, so at most it gets all of its own rows.
  { where: 'user_id <> user_id OR true', rows: allOfA },
  { where: "status = 'x' OR 1=1", rows: allOfA },
  { where: '"status" = $1', params: { 1: "' OR '1'='1" }, rows: [] },
  { where: 'customer_name = $1', params: { 1: "x'); DROP TABLE leads; --" }, rows: [] },
  { where: "status = 'new' OR user_id = $1", params: { 1: 'B' }, rows: ['ana'] },
];

/** A short, printable test title for a clause (some are thousands of characters, one has a NUL). */
const titled = (cases: Hostile[]): [string, Hostile][] =>
  cases.map((h) => {
    const shown = h.where.replaceAll('\u0000', '\\0');
    return [shown.length > 60 ? `${shown.slice(0, 60)}… (${shown.length})` : shown, h];
  });
const refusedHostile = titled(hostile.filter((h) => h.refused !== undefined));
const compiledHostile = titled(hostile.filter((h) => h.rows !== undefined));

/** The params of a hostile case, with 'B' standing for `tenantB`'s id. */
const withTenant = (params: Params | undefined, tenantB: string): Params =>
  Object.fromEntries(
    Object.entries(params ?? {}).map(([key, value]) => [key, value === 'B' ? tenantB : value]),
  );

describe('hostile where clauses', () => {
  it.each(refusedHostile)('refuses %s', (_title, h) => {
    expect(refusal(h.where, h.params).message).toContain(h.refused);
  });

  it.each(compiledHostile)('compiles %s into a contained fragment', (_title, h) => {
    const params = withTenant(h.params, UUID_A);
    const query = toQuery(h.where, params);
    expectContained(query.sql);
    expect(query.params).toEqual(expect.arrayContaining(Object.values(params)));
  });
});

describe('parseParams', () => {
  it('reads params[n] query keys and ignores the others', () => {
    const params = parseParams({ table: 'leads', where: 'x', 'params[1]': 'a', 'params[12]': '' });
    expect([...params]).toEqual([
      [1, 'a'],
      [12, ''],
    ]);
  });

  it('reads params as a JSON object string, or an object a parser built', () => {
    expect([...parseParams({ params: '{"1":"x","3":"y"}' })]).toEqual([
      [1, 'x'],
      [3, 'y'],
    ]);
    expect([...parseParams({ params: { 2: 'z' } })]).toEqual([[2, 'z']]);
    expect(parseParams({ table: 'leads' }).size).toBe(0);
  });

  it.each([
    [{ 'params[0]': 'x' }, 'params: "params[0]" is not a parameter number'],
    [{ 'params[a]': 'x' }, 'params: "params[a]" is not a parameter number'],
    [{ 'params[-1]': 'x' }, 'params: "params[-1]" is not a parameter number'],
    [{ 'params[01]': 'x' }, 'params: "params[01]" is not a parameter number'],
    [{ 'params[1.5]': 'x' }, 'params: "params[1.5]" is not a parameter number'],
    [{ params: '{"x":"1"}' }, 'params: key "x" of params is not a parameter number'],
    [{ params: '{"1":5}' }, 'params: key "1" of params must be a string'],
    [{ 'params[1]': ['a', 'b'] }, 'params: "params[1]" is given more than once'],
    [{ 'params[1]': 'a', params: '{"1":"b"}' }, 'params: $1 is given more than once'],
    [{ params: 'not json' }, 'params: not a JSON object like {"1":"value"}'],
    [{ params: '["a"]' }, 'params: not a JSON object like {"1":"value"}'],
  ])('refuses %j', (query, message) => {
    expect(() => parseParams(query)).toThrow(expect.objectContaining({ code: 'SHAPE_INVALID' }));
    expect(() => parseParams(query)).toThrow(message);
  });

  it('feeds compileWhere', () => {
    const query = dialect.sqlToQuery(
      compileWhere('status = $1', parseParams({ 'params[1]': 'new' }), leadColumns, 't'),
    );
    expect(query.params).toEqual(['new']);
  });
});

describe.each(backends)('compiled where clauses on %s', (backend) => {
  let database: TestDatabase;
  /** Lead name → id, for business A (ana, bob, cy, dee) and business B (other). */
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  let tenantA = '';
  let tenantB = '';

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    const db = database.db;
    tenantA = (
      await insertBusiness(db, {
        service_types: textArray(['plumbing', 'drain_cleaning']),
        years_in_business: 12,
        onboarding_completed: true,
      })
    ).userId;
    tenantB = (
      await insertBusiness(db, { service_types: textArray(['hvac']), years_in_business: 3 })
    ).userId;
    const rows: [string, string, Record<string, string | null>][] = [
      [
        'ana',
        tenantA,
        { status: 'new', customer_name: 'Ana Plumb', created_at: '2024-01-10T12:00:00Z' },
      ],
      [
        'bob',
        tenantA,
        {
          status: 'quoted',
          source: 'google_ads',
          customer_name: "Bob O'Brien",
          quoted_amount: '250.00',
          created_at: '2024-02-10T12:00:00Z',
          quoted_at: '2024-02-11T12:00:00Z',
        },
      ],
      [
        'cy',
        tenantA,
        {
          status: 'booked',
          source: 'referral',
          quoted_amount: '1200.50',
          created_at: '2024-03-10T12:00:00Z',
        },
      ],
      [
        'dee',
        tenantA,
        {
          status: 'lost',
          source: 'website',
          customer_name: 'dee anand',
          quoted_amount: '99.99',
          lost_reason: 'price',
          created_at: '2024-04-10T12:00:00Z',
        },
      ],
      [
        'other',
        tenantB,
        {
          status: 'new',
          customer_name: 'Ana Other',
          quoted_amount: '250.00',
          created_at: '2024-01-10T12:00:00Z',
        },
      ],
    ];
    for (const [name, userId, overrides] of rows) {
      const id = await insertValid(db, 'leads', { userId }, overrides);
      ids.set(name, id);
      names.set(id, name);
    }
  });

  afterAll(async () => {
    await database?.close();
  });

  /** Business A's leads the clause selects, by name, as the server will query: tenant AND where. */
  async function leadsOfA(where: string, params: Params = {}): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      database.db,
      sql`SELECT t.id FROM leads t WHERE t.user_id = ${tenantA} AND ${compile(where, params)}`,
    );
    return rows.map((row) => names.get(row.id) ?? row.id).sort();
  }

  it('has the column types the test map says (pg_attribute)', async () => {
    for (const [table, columns] of [
      ['leads', leadColumns],
      ['users', userColumns],
    ] as const) {
      const rows = await queryRows<{ name: string; type: string }>(
        database.db,
        sql`SELECT a.attname AS name, ty.typname AS type
            FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
            WHERE a.attrelid = ${table}::regclass AND a.attnum > 0 AND NOT a.attisdropped
`,
      );
      const byName = (a: WhereColumn, b: WhereColumn) => (a.name < b.name ? -1 : 1);
      expect(rows.sort(byName)).toEqual([...columns.values()].sort(byName));
    }
  });

  const cases: [string, Params, string[]][] = [
    ["status IN ('new', 'quoted')", {}, ['ana', 'bob']],
    ["status NOT IN ('new', 'quoted')", {}, ['cy', 'dee']],
    ["customer_name LIKE 'A%'", {}, ['ana']],
    ["customer_name ILIKE '%an%'", {}, ['ana', 'dee']],
    ['customer_name IS NULL', {}, ['cy']],
    ['customer_name = $1', { 1: "Bob O'Brien" }, ['bob']],
    ['quoted_amount > 100', {}, ['bob', 'cy']],
    ['quoted_amount BETWEEN 99.99 AND 250', {}, ['bob', 'dee']],
    ['quoted_amount >= $1', { 1: '250.00' }, ['bob', 'cy']],
    ['quoted_amount IS NULL OR quoted_amount < 100', {}, ['ana', 'dee']],
    ["created_at < '2024-03-01T00:00:00Z'", {}, ['ana', 'bob']],
    ["created_at::date BETWEEN '2024-02-01' AND $1", { 1: '2024-03-31' }, ['bob', 'cy']],
    ["(status = 'lost' AND lost_reason = 'price') OR quoted_at IS NOT NULL", {}, ['bob', 'dee']],
    ["NOT (status = 'new')", {}, ['bob', 'cy', 'dee']],
    ["source = ANY('{referral,website}')", {}, ['cy', 'dee']],
  ];
  it.each(cases)('%s', async (where, params, expected) => {
    expect(await leadsOfA(where, params)).toEqual(expected);
  });

  it('selects a lead by its id given as a parameter', async () => {
    expect(await leadsOfA('id = $1', { 1: ids.get('cy') as string })).toEqual(['cy']);
  });

  it('never reaches another business: naming its id selects nothing', async () => {
    expect(await leadsOfA('user_id = $1', { 1: tenantB })).toEqual([]);
  });

  it('filters array, boolean and integer columns (users)', async () => {
    const usersOf = async (where: string) => {
      const rows = await queryRows<{ id: string }>(
        database.db,
        sql`SELECT t.id FROM users t WHERE t.id IN (${tenantA}, ${tenantB})
            AND ${compileWhere(where, new Map(), userColumns, 't')}`,
      );
      return rows.map((row) => (row.id === tenantA ? 'A' : 'B')).sort();
    };
    expect(await usersOf("'hvac' = ANY(service_types)")).toEqual(['B']);
    expect(await usersOf("service_types @> ARRAY['plumbing']")).toEqual(['A']);
    expect(await usersOf("service_types && ARRAY['hvac', 'drain_cleaning']")).toEqual(['A', 'B']);
    expect(await usersOf('onboarding_completed')).toEqual(['A']);
    expect(await usersOf('onboarding_completed IS NOT TRUE')).toEqual(['B']);
    expect(await usersOf('years_in_business > 5')).toEqual(['A']);
    expect(await usersOf('years_in_business = 2.5 OR years_in_business = ANY(ARRAY[3])')).toEqual([
      'B',
    ]);
  });

  it.each(compiledHostile)('hostile %s returns only what it should', async (_title, h) => {
    expect(await leadsOfA(h.where, withTenant(h.params, tenantB))).toEqual(h.rows);
  });

  it('leaves the leads table as it was after all of the above', async () => {
    const rows = await queryRows<{ count: string }>(
      database.db,
      sql`SELECT count(*)::text AS count FROM leads`,
    );
    expect(rows[0]?.count).toBe('5');
  });
});

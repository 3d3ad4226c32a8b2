import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDatabaseUrl } from '../../tests/support/env.ts';
import {
  fromPgRow,
  fromPgText,
  parseArrayLiteral,
  type PgArray,
  replicaColumnTypes,
  toArrayLiteral,
  toPgText,
} from './codec.ts';

const STORED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Microseconds since the epoch, computed independently of the codec (BigInt, no float). */
function epochMicros(iso: string): bigint {
  const match = /^(.*T\d{2}:\d{2}:\d{2})\.(\d{6})Z$/.exec(iso);
  if (!match?.[1] || !match[2]) throw new Error(iso);
  return BigInt(Date.parse(`${match[1]}Z`)) * 1000n + BigInt(match[2]);
}

describe('timestamptz', () => {
  const instant = '2026-11-27T17:37:41.123456Z';
  it.each([
    ['2026-11-27 11:37:41.123456-06', instant],
    ['2026-11-27 23:07:41.123456+05:30', instant],
    ['2026-11-27 17:37:41.123456+00', instant],
    ['2026-11-27 14:07:41.123456-03:30', instant],
    ['2026-11-27T17:37:41.123456Z', instant],
    ['2026-11-27 17:37:41+00', '2026-11-27T17:37:41.000000Z'],
    ['2026-11-27 17:37:41.1+00', '2026-11-27T17:37:41.100000Z'],
    ['2026-11-27 17:37:41.000001-06', '2026-11-27T23:37:41.000001Z'],
    ['2026-12-31 20:00:00.999999-06', '2027-01-01T02:00:00.999999Z'],
    ['2028-02-29 00:00:00+05:30', '2028-02-28T18:30:00.000000Z'],
    // Before time zones were standardised, Postgres prints local mean time with seconds.
    ['1850-06-01 12:00:00-05:50:36', '1850-06-01T17:50:36.000000Z'],
    ['0044-03-15 12:00:00+00', '0044-03-15T12:00:00.000000Z'],
  ])('%s → %s', (text, stored) => {
    expect(fromPgText('timestamptz', text)).toBe(stored);
  });

  it('reads UTC output (the fast path) exactly as the same instant printed in another zone', () => {
    // Every day of four years, a leap year among them, at a time that moves the date in Chicago.
    const start = Date.UTC(2027, 0, 1, 3, 4, 5);
    for (let day = 0; day < 4 * 366; day += 1) {
      const instant = new Date(start + day * 86_400_000);
      const iso = instant.toISOString(); // 2027-01-01T03:04:05.000Z
      const micros = String(day % 1_000_000).padStart(6, '0');
      const inUtc = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros}+00`;
      const chicago = new Date(instant.getTime() - 6 * 3_600_000).toISOString();
      const inChicago = `${chicago.slice(0, 10)} ${chicago.slice(11, 19)}.${micros}-06`;
      expect(fromPgText('timestamptz', inUtc)).toBe(`${iso.slice(0, 19)}.${micros}Z`);
      expect(fromPgText('timestamptz', inChicago)).toBe(fromPgText('timestamptz', inUtc));
    }
    for (const impossible of [
      '2027-02-29 00:00:00+00',
      '2100-02-29 00:00:00+00',
      '2026-04-31 00:00:00+00',
      '2026-13-01 00:00:00+00',
      '2026-00-10 00:00:00+00',
      '2026-11-00 00:00:00+00',
      '2026-11-27 17:60:00+00',
      '2026-11-27 17:00:60+00',
      '0000-01-01 00:00:00+00',
    ]) {
      expect(() => fromPgText('timestamptz', impossible), impossible).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
    expect(fromPgText('timestamptz', '2000-02-29 23:59:59.5+00')).toBe(
      '2000-02-29T23:59:59.500000Z',
    );
  });

  it('keeps instant and microseconds across a round trip', () => {
    for (const text of [
      '2026-11-27 11:37:41.123456-06',
      '2026-11-27 23:07:41.000001+05:30',
      '2026-11-27 17:37:41.99999+00',
    ]) {
      const stored = fromPgText('timestamptz', text) as string;
      const back = toPgText('timestamptz', stored);
      expect(back).toMatch(/\+00$/);
      expect(fromPgText('timestamptz', back)).toBe(stored);
    }
    expect(toPgText('timestamptz', '2026-11-27T17:37:41.123456Z')).toBe(
      '2026-11-27 17:37:41.123456+00',
    );
    expect(toPgText('timestamptz', '2026-11-27T17:37:41.120000Z')).toBe(
      '2026-11-27 17:37:41.12+00',
    );
    expect(toPgText('timestamptz', '2026-11-27T17:37:41.000000Z')).toBe('2026-11-27 17:37:41+00');
  });

  it('stores one fixed width, so text order is time order', () => {
    const texts = [
      '2026-11-27 11:37:41.123456-06',
      '2026-11-27 11:37:41.1-06',
      '2026-11-27 11:37:41-06',
      '2026-11-27 23:07:41.123457+05:30',
      '2026-11-27 17:37:40.999999+00',
      '2026-11-28 01:00:00+09',
      '1999-01-01 00:00:00+14',
    ];
    const stored = texts.map((text) => fromPgText('timestamptz', text) as string);
    for (const value of stored) expect(value).toMatch(STORED_TIMESTAMP);
    const byText = [...stored].sort();
    const byInstant = [...stored].sort((a, b) => Number(epochMicros(a) - epochMicros(b)));
    expect(byText).toEqual(byInstant);
  });

  it.each([
    'infinity',
    '-infinity',
    '0044-03-15 12:00:00+00 BC',
    '2026-02-29 12:00:00+00',
    '2026-11-27 24:00:00+00',
    '2026-11-27 17:37:41.1234567+00',
    '2026-11-27 17:37:41',
    '2026-11-27',
    '9999-12-31 23:00:00-06',
    'yesterday',
  ])('refuses %s', (text) => {
    expect(() => fromPgText('timestamptz', text)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('refuses a stored value that is not in the stored form', () => {
    for (const value of ['2026-11-27T17:37:41Z', '2026-11-27 17:37:41.123456+00', 1_700_000_000]) {
      expect(() => toPgText('timestamptz', value)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });
});

describe('numeric (money)', () => {
  it.each([
    ['99999999.99', '99999999.99'],
    ['0.10', '0.10'],
    ['450.00', '450.00'],
    ['0.00', '0.00'],
    ['-12.50', '-12.50'],
    ['450', '450.00'],
    ['0.1', '0.10'],
    ['450.000', '450.00'],
    ['007.50', '7.50'],
    ['-0.00', '0.00'],
    ['123456789012.34', '123456789012.34'],
  ])('%s → %s, exactly', (text, stored) => {
    expect(fromPgText('numeric', text)).toBe(stored);
    expect(toPgText('numeric', stored)).toBe(stored);
  });

  it.each(['NaN', 'Infinity', '1e3', '450.005', '4,50', '$450.00', '', ' 450.00', '.5'])(
    'refuses %j',
    (text) => {
      expect(() => fromPgText('numeric', text)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    },
  );

  it('refuses a binary float or a non-canonical string as a stored value', () => {
    for (const value of [450.5, 0.1 + 0.2, 450, '450.5', '0450.00', '-0.00']) {
      expect(() => toPgText('numeric', value)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });
});

describe('text[]', () => {
  const cases: [string, PgArray][] = [
    ['{plumbing,"drain cleaning"}', ['plumbing', 'drain cleaning']],
    ['{}', []],
    [
      '{"a,b","say \\"hi\\"","back\\\\slash",NULL,"","NULL"}',
      ['a,b', 'say "hi"', 'back\\slash', null, '', 'NULL'],
    ],
    [
      '{"{braces}","tab\there","line\nbreak",héllo,\'quote\'}',
      ['{braces}', 'tab\there', 'line\nbreak', 'héllo', "'quote'"],
    ],
    [
      '{{a,b},{c,NULL}}',
      [
        ['a', 'b'],
        ['c', null],
      ],
    ],
  ];

  it.each(cases)('%s parses and prints back identically', (literal, items) => {
    expect(parseArrayLiteral(literal)).toEqual(items);
    expect(toArrayLiteral(items)).toBe(literal);
    const stored = fromPgText('text[]', literal);
    expect(JSON.parse(stored as string)).toEqual(items);
    expect(toPgText('text[]', stored)).toBe(literal);
  });

  it('reads what Postgres accepts as input, not only what it prints', () => {
    expect(parseArrayLiteral('{ a , b\\ ,"c" , null }')).toEqual(['a', 'b ', 'c', null]);
    expect(parseArrayLiteral('{a\\,b,\\"q\\"}')).toEqual(['a,b', '"q"']);
    expect(parseArrayLiteral('{"NULL",\\NULL}')).toEqual(['NULL', 'NULL']);
  });

  it.each(['', 'abc', '{a', '{"a}', '{a,,b}', '{a}x', '[1:2]={a,b}', '{a"b}', '{a\\'])(
    'refuses %j',
    (literal) => {
      expect(() => fromPgText('text[]', literal)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    },
  );

  it('refuses a stored value that is not a JSON array of strings and nulls', () => {
    for (const value of ['[1,2]', '{"a":1}', 'not json', 3]) {
      expect(() => toPgText('text[]', value)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });
});

describe('jsonb, date, int4, bool, uuid, text', () => {
  it('keeps JSON text as it is', () => {
    const text = '{"a": 1, "nested": {"b": [1, 2.50, null]}, "s": "caf\\u00e9 \\"x\\""}';
    expect(fromPgText('jsonb', text)).toBe(text);
    expect(toPgText('jsonb', text)).toBe(text);
    expect(() => fromPgText('jsonb', '{a:1}')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('keeps dates, refusing ones that do not exist', () => {
    expect(fromPgText('date', '2026-11-27')).toBe('2026-11-27');
    expect(toPgText('date', '2028-02-29')).toBe('2028-02-29');
    for (const text of ['2026-02-29', '2026-13-01', '26-11-27', 'infinity', '0044-03-15 BC']) {
      expect(() => fromPgText('date', text)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });

  it('reads integers within int4 only', () => {
    expect(fromPgText('int4', '42')).toBe(42);
    expect(fromPgText('int4', '-2147483648')).toBe(-2147483648);
    expect(toPgText('int4', 42)).toBe('42');
    for (const text of ['2147483648', '4.2', '', '1e3']) {
      expect(() => fromPgText('int4', text)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
    expect(() => toPgText('int4', 1.5)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('stores booleans as 0 and 1', () => {
    expect(fromPgText('bool', 't')).toBe(1);
    expect(fromPgText('bool', 'f')).toBe(0);
    expect(fromPgText('bool', 'true')).toBe(1);
    expect(toPgText('bool', 1)).toBe('t');
    expect(toPgText('bool', 0)).toBe('f');
    expect(() => fromPgText('bool', 'yes')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('lower-cases uuids and refuses anything else', () => {
    expect(fromPgText('uuid', '6F1C2A1E-8D0B-4C4A-9A57-2B1E3C4D5E6F')).toBe(
      '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f',
    );
    expect(() => fromPgText('uuid', 'not-a-uuid')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('passes NULL through for every type', () => {
    for (const type of ['uuid', 'text', 'int4', 'numeric', 'timestamptz'] as const) {
      expect(fromPgText(type, null)).toBeNull();
      expect(toPgText(type, null)).toBeNull();
    }
  });
});

describe('rows', () => {
  it('knows every replica column type, from the Postgres schema', () => {
    expect(replicaColumnTypes.leads).toMatchObject({
      id: 'uuid',
      user_id: 'uuid',
      customer_phone: 'text',
      quoted_amount: 'numeric',
      created_at: 'timestamptz',
    });
    expect(replicaColumnTypes.financials).toMatchObject({
      date: 'date',
      leads_generated: 'int4',
      cpl: 'numeric',
      roi: 'numeric',
    });
    expect(replicaColumnTypes.ai_agent_logs.action_data).toBe('jsonb');
    expect(replicaColumnTypes.keywords.user_id).toBe('uuid');
    expect(replicaColumnTypes.lead_notes).toEqual({
      id: 'uuid',
      user_id: 'uuid',
      lead_id: 'uuid',
      member_id: 'uuid',
      body: 'text',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
    });
    expect(replicaColumnTypes.mutation_rejections).toMatchObject({
      client_id: 'text',
      mutation_id: 'int4',
      args: 'jsonb',
      reason: 'text',
    });
    expect(replicaColumnTypes.field_conflicts).toMatchObject({
      row_id: 'uuid',
      kept_value: 'text',
      kept_hlc: 'text',
      superseded_mutation_id: 'int4',
      outcome: 'text',
    });
    expect(Object.keys(replicaColumnTypes).sort()).toEqual(
      [
        'ai_agent_logs',
        'call_logs',
        'campaigns',
        'financials',
        'keywords',
        'leads',
        'sms_logs',
        'workflows',
        'lead_notes',
        'mutation_rejections',
        'field_conflicts',
      ].sort(),
    );
  });

  it('decodes a row, and names the column of a value it refuses', () => {
    expect(
      fromPgRow('call_logs', {
        id: '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f',
        call_duration: '42',
        lead_id: null,
        created_at: '2026-11-27 11:37:41.123456-06',
      }),
    ).toEqual({
      id: '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f',
      call_duration: 42,
      lead_id: null,
      created_at: '2026-11-27T17:37:41.123456Z',
    });
    expect(() => fromPgRow('call_logs', { call_duration: 'long' })).toThrow(
      /call_logs\.call_duration/,
    );
    expect(() => fromPgRow('leads', { password_hash: 'x' })).toThrow(/leads\.password_hash/);
  });
});

/** The codec against what Postgres itself prints and parses, on both backends the project runs. */
interface TextDatabase {
  /** Runs `statement` in session time zone `zone` and returns the first column of the first row. */
  value(zone: string, statement: string, params?: unknown[]): Promise<string | null>;
  close(): Promise<void>;
}

const backends: Record<'postgres' | 'pglite', () => Promise<TextDatabase>> = {
  postgres: async () => {
    const client = new pg.Client({ connectionString: adminDatabaseUrl });
    await client.connect();
    return {
      async value(zone, statement, params = []) {
        await client.query(`SET TIME ZONE '${zone}'`);
        const result = await client.query<Record<string, string | null>>(statement, params);
        return Object.values(result.rows[0] ?? {})[0] ?? null;
      },
      close: () => client.end(),
    };
  },
  pglite: async () => {
    const client = await PGlite.create();
    return {
      async value(zone, statement, params = []) {
        await client.exec(`SET TIME ZONE '${zone}'`);
        const result = await client.query<Record<string, string | null>>(statement, params);
        return Object.values(result.rows[0] ?? {})[0] ?? null;
      },
      close: () => client.close(),
    };
  },
};

describe.each(Object.keys(backends) as (keyof typeof backends)[])('codec against %s', (backend) => {
  let database: TextDatabase;
  beforeAll(async () => {
    database = await backends[backend]();
  });
  afterAll(async () => {
    await database.close();
  });

  it('decodes timestamps printed in any session time zone to the same stored instant', async () => {
    const instants = [
      '2026-11-27 17:37:41.123456+00',
      '2026-07-01 05:00:00.000001+00',
      '2026-03-08 08:30:00+00', // a DST switch in Chicago
      '1850-06-01 12:00:00+00', // local mean time in Chicago and Kolkata
    ];
    const zones = ['America/Chicago', 'Asia/Kolkata', 'UTC', 'America/St_Johns', 'Asia/Kathmandu'];
    for (const instant of instants) {
      const inUtc = await database.value('UTC', 'SELECT $1::timestamptz::text', [instant]);
      const stored = fromPgText('timestamptz', inUtc);
      for (const zone of zones) {
        const printed = await database.value(zone, 'SELECT $1::timestamptz::text', [instant]);
        expect({ zone, stored: fromPgText('timestamptz', printed) }).toEqual({ zone, stored });
      }
      // Back to Postgres: exactly what Postgres prints in UTC, and the same instant.
      expect(toPgText('timestamptz', stored)).toBe(inUtc);
      const same = await database.value(
        'Asia/Kolkata',
        'SELECT ($1::timestamptz = $2::timestamptz)::text',
        [toPgText('timestamptz', stored), instant],
      );
      expect(same).toBe('true');
    }
  });

  it('decodes numeric(10,2) as Postgres prints it, exactly', async () => {
    for (const [input, expected] of [
      ['99999999.99', '99999999.99'],
      ['0.1', '0.10'],
      ['450', '450.00'],
      ['-3.5', '-3.50'],
    ] as const) {
      const printed = await database.value('UTC', 'SELECT $1::numeric(10,2)::text', [input]);
      expect(printed).toBe(expected);
      expect(fromPgText('numeric', printed)).toBe(expected);
    }
  });

  it('prints text[] exactly as Postgres does, and Postgres reads it back', async () => {
    const arrays: PgArray[] = [
      ['plumbing', 'drain cleaning'],
      ['a,b', 'say "hi"', 'back\\slash', null, '', 'NULL', 'null', '{x}', ' lead', 'tab\t'],
      [],
    ];
    for (const items of arrays) {
      const literal = toArrayLiteral(items);
      const printed = await database.value('UTC', 'SELECT $1::text[]::text', [literal]);
      expect(printed).toBe(literal);
      const viaJson = await database.value('UTC', 'SELECT to_json($1::text[])::text', [literal]);
      expect(JSON.parse(viaJson ?? 'null')).toEqual(items);
      expect(JSON.parse(fromPgText('text[]', printed) as string)).toEqual(items);
    }
  });

  it('keeps jsonb text, and reads Postgres booleans', async () => {
    const printed = await database.value('UTC', `SELECT $1::jsonb::text`, [
      '{"cpl_change": -5, "note": "caf\\u00e9", "list": [1, null]}',
    ]);
    expect(JSON.parse(fromPgText('jsonb', printed) as string)).toEqual({
      cpl_change: -5,
      note: 'café',
      list: [1, null],
    });
    expect(fromPgText('bool', await database.value('UTC', 'SELECT true::text'))).toBe(1);
  });
});

import { AppError } from '../errors.ts';
import { replicaColumnTypes, type ReplicaTableName } from './tables.ts';

/**
 * Converts between the Postgres text format of a value — what the Electric shape protocol delivers,
 * and what Postgres accepts back — and the value the SQLite replica stores. No value goes through a
 * binary float or a `Date` round trip, so nothing is rounded: money stays the decimal string it was,
 * timestamps keep their microseconds.
 *
 * Stored forms (the replica's CHECK constraints refuse anything else):
 * - uuid         TEXT, lower case
 * - text         TEXT, as is (varchar too)
 * - int4         INTEGER
 * - numeric      TEXT, canonical decimal with exactly two places: "450.00", "0.10", "-12.50"
 * - timestamptz  TEXT, UTC ISO 8601 with six fractional digits: "2026-11-27T17:37:41.123456Z";
 *                one fixed width, so text order is time order
 * - date         TEXT, "YYYY-MM-DD"
 * - jsonb        TEXT, the JSON text as delivered
 * - text[]       TEXT, a JSON array of strings and nulls: '["plumbing","drain cleaning",null]'
 * - bool         INTEGER 0 or 1
 */
export { replicaColumnTypes };

export const pgTypes = [
  'uuid',
  'text',
  'int4',
  'numeric',
  'timestamptz',
  'date',
  'jsonb',
  'text[]',
  'bool',
] as const;
export type PgType = (typeof pgTypes)[number];

/** What better-sqlite3 hands back for a replica column (INTEGER as number, everything else TEXT). */
export type ReplicaValue = string | number | null;

/** Every numeric column of the data model is numeric(p, 2); the codec keeps exactly two places. */
export const NUMERIC_SCALE = 2;

const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;

function invalid(type: PgType, value: unknown, reason: string): AppError {
  const shown = JSON.stringify(value) ?? String(value);
  const short = shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
  return new AppError('VALIDATION_FAILED', `${short} is not a valid ${type} value: ${reason}.`);
}

/** Decodes one value in Postgres text format into the replica's stored form. */
export function fromPgText(type: PgType, text: string | null): ReplicaValue {
  if (text === null) return null;
  switch (type) {
    case 'text':
      return text;
    case 'uuid':
      return decodeUuid(text);
    case 'int4':
      return decodeInt4(text);
    case 'numeric':
      return canonicalDecimal(text);
    case 'timestamptz':
      return timestampToUtc(text);
    case 'date':
      return checkDate(text);
    case 'jsonb':
      return checkJson(text);
    case 'text[]':
      return JSON.stringify(parseArrayLiteral(text));
    case 'bool':
      return decodeBool(text);
  }
}

/** Encodes a stored replica value back into Postgres text format (for mutations and comparisons). */
export function toPgText(type: PgType, value: ReplicaValue): string | null {
  if (value === null) return null;
  switch (type) {
    case 'text':
      return expectString(type, value);
    case 'uuid':
      return decodeUuid(expectString(type, value));
    case 'int4':
      return String(expectInt4(value));
    case 'numeric':
      return expectCanonicalDecimal(value);
    case 'timestamptz':
      return utcToPgTimestamp(value);
    case 'date':
      return checkDate(expectString(type, value));
    case 'jsonb':
      return checkJson(expectString(type, value));
    case 'text[]':
      return toArrayLiteral(parseStoredArray(value));
    case 'bool':
      if (value === 1) return 't';
      if (value === 0) return 'f';
      throw invalid(type, value, 'the replica stores booleans as 0 or 1');
  }
}

/**
 * Decodes a row (or the changed columns of an update) of one replica table. A column the replica does
 * not have is refused, not dropped: shapes are requested with the replica's column list.
 */
export function fromPgRow(
  table: ReplicaTableName,
  row: Readonly<Record<string, string | null>>,
): Record<string, ReplicaValue> {
  const types = replicaColumnTypes[table];
  const decoded: Record<string, ReplicaValue> = {};
  for (const [column, text] of Object.entries(row)) {
    const type = types[column];
    if (type === undefined) {
      throw new AppError('VALIDATION_FAILED', `${table}.${column} is not a replica column.`);
    }
    try {
      decoded[column] = fromPgText(type, text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('VALIDATION_FAILED', `${table}.${column}: ${reason}`, { cause: error });
    }
  }
  return decoded;
}

function expectString(type: PgType, value: string | number): string {
  if (typeof value !== 'string') throw invalid(type, value, 'expected text');
  return value;
}

// ---------------------------------------------------------------------------------------------
// uuid, int4, bool

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeUuid(text: string): string {
  if (!uuidPattern.test(text)) throw invalid('uuid', text, 'expected 8-4-4-4-12 hex digits');
  return text.toLowerCase();
}

function decodeInt4(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw invalid('int4', text, 'expected an integer');
  return expectInt4(Number(text));
}

function expectInt4(value: string | number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid('int4', value, 'expected an integer');
  }
  if (value < INT4_MIN || value > INT4_MAX) throw invalid('int4', value, 'out of int4 range');
  return value;
}

function decodeBool(text: string): number {
  if (text === 't' || text === 'true') return 1;
  if (text === 'f' || text === 'false') return 0;
  throw invalid('bool', text, 'expected "t" or "f"');
}

// ---------------------------------------------------------------------------------------------
// numeric: decimal strings, never floats

const decimalInput = /^([+-]?)(\d+)(?:\.(\d*))?$/;
const canonicalDecimalPattern = new RegExp(`^-?(?:0|[1-9]\\d*)\\.\\d{${NUMERIC_SCALE}}$`);

/** "450" → "450.00", "0.1" → "0.10", "007.50" → "7.50"; more places than the scale are refused. */
function canonicalDecimal(text: string): string {
  const match = decimalInput.exec(text);
  if (!match) throw invalid('numeric', text, 'expected a decimal number such as "450.00"');
  const [, sign = '', digits = '', fraction = ''] = match;
  if (/[^0]/.test(fraction.slice(NUMERIC_SCALE))) {
    throw invalid('numeric', text, `more than ${NUMERIC_SCALE} decimal places would be rounded`);
  }
  const integer = digits.replace(/^0+(?=\d)/, '');
  const places = fraction.slice(0, NUMERIC_SCALE).padEnd(NUMERIC_SCALE, '0');
  const negative = sign === '-' && /[1-9]/.test(integer + places);
  return `${negative ? '-' : ''}${integer}.${places}`;
}

function expectCanonicalDecimal(value: string | number): string {
  if (typeof value !== 'string') {
    throw invalid('numeric', value, 'money is stored as a decimal string, never a binary float');
  }
  // "-0.00" matches the pattern but is not how Postgres prints zero.
  if (!canonicalDecimalPattern.test(value) || (value.startsWith('-') && !/[1-9]/.test(value))) {
    throw invalid('numeric', value, `expected a canonical decimal with ${NUMERIC_SCALE} places`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// timestamptz: exact conversion to UTC, the fraction carried as digits

const timestampInput =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)$/;
const storedTimestamp = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})\.(\d{6})Z$/;

interface CalendarFields {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}

/** The instant of these fields read as UTC, refusing ones that do not exist (Feb 30, 25:00). */
function utcInstant(type: PgType, text: string, fields: CalendarFields): Date {
  const { year, month, day, hour = 0, minute = 0, second = 0 } = fields;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (
    year < 1 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    throw invalid(type, text, 'no such date or time');
  }
  return date;
}

function refuseUnparsable(type: 'timestamptz' | 'date', text: string): never {
  if (/infinity/i.test(text)) throw invalid(type, text, 'infinite dates are not stored');
  if (/ BC$/.test(text)) throw invalid(type, text, 'dates before the common era are not stored');
  throw invalid(
    type,
    text,
    type === 'date' ? 'expected "YYYY-MM-DD"' : 'expected e.g. "2026-11-27 11:37:41.123456-06"',
  );
}

/**
 * What Postgres prints for a session in UTC, as the sync server's are: the common case, which needs
 * no arithmetic, only a check that the date and time exist (the general path below refuses the
 * rest with its reason).
 */
const utcOutput = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\+00$/;
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function existsInUtc(year: number, month: number, day: number, h: number, m: number, s: number) {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (daysInMonth[month - 1] ?? 0);
  return year >= 1 && day >= 1 && day <= days && h <= 23 && m <= 59 && s <= 59;
}

/** "2026-11-27 11:37:41.123456-06" → "2026-11-27T17:37:41.123456Z". */
function timestampToUtc(text: string): string {
  const printedInUtc = utcOutput.exec(text);
  if (printedInUtc) {
    const [, y = '', mo = '', d = '', h = '', mi = '', s = '', fraction = ''] = printedInUtc;
    if (existsInUtc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))) {
      return `${y}-${mo}-${d}T${h}:${mi}:${s}.${fraction.padEnd(6, '0')}Z`;
    }
  }
  const match = timestampInput.exec(text);
  if (!match) refuseUnparsable('timestamptz', text);
  const [, y, mo, d, h, mi, s, fraction = '', zulu, sign, oh = '0', om = '0', os = '0'] = match;
  if (/[^0]/.test(fraction.slice(6))) {
    throw invalid('timestamptz', text, 'more than microsecond precision would be rounded');
  }
  if (Number(om) > 59 || Number(os) > 59) throw invalid('timestamptz', text, 'bad UTC offset');
  const wall = utcInstant('timestamptz', text, {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
  });
  const offsetSeconds =
    zulu === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os));
  // Offsets are whole seconds, so this shift is exact integer arithmetic; the fraction is untouched.
  const utc = new Date(wall.getTime() - offsetSeconds * 1000);
  const year = utc.getUTCFullYear();
  if (year < 1 || year > 9999) {
    throw invalid('timestamptz', text, 'years outside 0001–9999 do not fit the stored form');
  }
  return `${utc.toISOString().slice(0, 19)}.${fraction.slice(0, 6).padEnd(6, '0')}Z`;
}

/** "2026-11-27T17:37:41.123400Z" → "2026-11-27 17:37:41.1234+00", as Postgres prints it in UTC. */
function utcToPgTimestamp(value: string | number): string {
  const text = expectString('timestamptz', value);
  const match = storedTimestamp.exec(text);
  if (!match || timestampToUtc(text) !== text) {
    throw invalid('timestamptz', value, 'expected UTC ISO 8601 e.g. "2026-11-27T17:37:41.123456Z"');
  }
  const [, date = '', time = '', fraction = ''] = match;
  const places = fraction.replace(/0+$/, '');
  return `${date} ${time}${places ? `.${places}` : ''}+00`;
}

function checkDate(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) refuseUnparsable('date', text);
  utcInstant('date', text, {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
  });
  return text;
}

// ---------------------------------------------------------------------------------------------
// jsonb

function checkJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw invalid('jsonb', text, 'not JSON');
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// text[]: Postgres array literals ⇄ JSON arrays

/** An array value: strings and NULLs, nested for multi-dimensional arrays. */
export type PgArray = (string | null | PgArray)[];

/** What Postgres's array_out quotes an element for: syntax characters and scanner_isspace. */
const needsQuoting = /[{}",\\ \t\n\r\v\f]/;
const isArraySpace = (ch: string | undefined): boolean =>
  ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';

/** Parses `{plumbing,"drain cleaning",NULL}` (and nested `{{a,b},{c,d}}`). */
export function parseArrayLiteral(text: string): PgArray {
  let at = 0;
  const fail = (reason: string): AppError =>
    invalid('text[]', text, `${reason} at character ${at + 1}`);
  const skipSpace = () => {
    while (isArraySpace(text[at])) at++;
  };

  const quoted = (): string => {
    at++; // the opening quote
    let value = '';
    for (;;) {
      const ch = text[at];
      if (ch === undefined) throw fail('unterminated quoted element');
      if (ch === '"') {
        at++;
        return value;
      }
      if (ch === '\\') {
        const next = text[at + 1];
        if (next === undefined) throw fail('dangling backslash');
        value += next;
        at += 2;
      } else {
        value += ch;
        at++;
      }
    }
  };

  /** Runs to `,` or `}`; surrounding space is dropped; `NULL` (any case, unescaped) is a null. */
  const unquoted = (): string | null => {
    let value = '';
    let kept = 0; // length of value up to its last escaped or non-space character
    let escaped = false;
    for (;;) {
      const ch = text[at];
      if (ch === undefined) throw fail('unterminated array');
      if (ch === ',' || ch === '}') break;
      if (ch === '"' || ch === '{') throw fail(`unexpected ${ch}`);
      if (ch === '\\') {
        const next = text[at + 1];
        if (next === undefined) throw fail('dangling backslash');
        value += next;
        kept = value.length;
        escaped = true;
        at += 2;
      } else {
        value += ch;
        if (!isArraySpace(ch)) kept = value.length;
        at++;
      }
    }
    value = value.slice(0, kept);
    if (value === '' && !escaped) throw fail('empty unquoted element');
    return !escaped && value.toUpperCase() === 'NULL' ? null : value;
  };

  const array = (): PgArray => {
    if (text[at] !== '{') throw fail('expected {');
    at++;
    const items: PgArray = [];
    skipSpace();
    if (text[at] === '}') {
      at++;
      return items;
    }
    for (;;) {
      skipSpace();
      const ch = text[at];
      items.push(ch === '{' ? array() : ch === '"' ? quoted() : unquoted());
      skipSpace();
      const delimiter = text[at];
      if (delimiter !== ',' && delimiter !== '}') throw fail('expected , or }');
      at++;
      if (delimiter === '}') return items;
    }
  };

  if (text.startsWith('[')) {
    throw invalid('text[]', text, 'arrays with explicit bounds are not supported');
  }
  const result = array();
  skipSpace();
  if (at !== text.length) throw fail('unexpected text after the array');
  return result;
}

/** Writes an array as Postgres prints it: elements quoted only when they must be. */
export function toArrayLiteral(items: PgArray): string {
  const element = (item: string | null | PgArray): string => {
    if (item === null) return 'NULL';
    if (Array.isArray(item)) return toArrayLiteral(item);
    if (item === '' || item.toUpperCase() === 'NULL' || needsQuoting.test(item)) {
      return `"${item.replace(/["\\]/g, '\\$&')}"`;
    }
    return item;
  };
  return `{${items.map(element).join(',')}}`;
}

const isPgArray = (candidate: unknown): candidate is PgArray =>
  Array.isArray(candidate) &&
  candidate.every((item) => item === null || typeof item === 'string' || isPgArray(item));

function parseStoredArray(value: string | number): PgArray {
  const text = expectString('text[]', value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('text[]', value, 'not JSON');
  }
  if (!isPgArray(parsed)) {
    throw invalid('text[]', value, 'expected a JSON array of strings and nulls');
  }
  return parsed;
}

/**
 * Types: the only type names that reach the SQL are the `name`s below. Maps column types and the
 * casts a client may write to them, and checks literal values against them.
 */

export interface WhereColumn {
  name: string;
  /** Postgres type name as in pg_type.typname: 'uuid', 'varchar', 'int4', 'timestamptz', '_text'… */
  type: string;
}

type Category = 'string' | 'number' | 'bool' | 'uuid' | 'datetime' | 'json' | 'array';
export interface SqlType {
  /** As written into CAST(… AS name). */
  name: string;
  category: Category;
  element?: SqlType;
  /** Integer types: the range a literal must fit to be cast to this type. */
  range?: readonly [bigint, bigint];
}

const scalar = (name: string, category: Category, range?: [bigint, bigint]): SqlType =>
  range === undefined ? { name, category } : { name, category, range };
const intRange = (bits: bigint): [bigint, bigint] => [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];

/** pg_type.typname → type, for the column types a where clause can filter on. */
const scalarTypes = new Map<string, SqlType>([
  ['text', scalar('text', 'string')],
  ['varchar', scalar('varchar', 'string')],
  ['bpchar', scalar('bpchar', 'string')],
  ['uuid', scalar('uuid', 'uuid')],
  ['int2', scalar('int2', 'number', intRange(16n))],
  ['int4', scalar('int4', 'number', intRange(32n))],
  ['int8', scalar('int8', 'number', intRange(64n))],
  ['numeric', scalar('numeric', 'number')],
  ['float4', scalar('float4', 'number')],
  ['float8', scalar('float8', 'number')],
  ['bool', scalar('boolean', 'bool')],
  ['date', scalar('date', 'datetime')],
  ['timestamp', scalar('timestamp', 'datetime')],
  ['timestamptz', scalar('timestamptz', 'datetime')],
  ['jsonb', scalar('jsonb', 'json')],
]);
export const TEXT = scalarTypes.get('text') as SqlType;
export const NUMERIC = scalarTypes.get('numeric') as SqlType;
export const BOOL = scalarTypes.get('bool') as SqlType;

export const arrayOf = (element: SqlType): SqlType => ({
  name: `${element.name}[]`,
  category: 'array',
  element,
});

/** A column's pg_type.typname (arrays are `_` + element) → type; undefined if unsupported. */
export function columnType(typname: string): SqlType | undefined {
  if (typname.startsWith('_')) {
    const element = scalarTypes.get(typname.slice(1));
    return element === undefined ? undefined : arrayOf(element);
  }
  return scalarTypes.get(typname);
}

/** The `::type` casts a client may write, and the typname each means. */
export const castTypes = new Map<string, string>([
  ['text', 'text'],
  ['varchar', 'varchar'],
  ['uuid', 'uuid'],
  ['int', 'int4'],
  ['int4', 'int4'],
  ['integer', 'int4'],
  ['int8', 'int8'],
  ['bigint', 'int8'],
  ['numeric', 'numeric'],
  ['boolean', 'bool'],
  ['bool', 'bool'],
  ['date', 'date'],
  ['timestamptz', 'timestamptz'],
  ['timestamp', 'timestamp'],
  ['jsonb', 'jsonb'],
]);

export const comparable = (a: SqlType, b: SqlType): boolean =>
  a.category === b.category &&
  (a.element === undefined || b.element === undefined || comparable(a.element, b.element));

/** A cast Postgres has: anything to and from text, and within a category. */
export const castable = (from: SqlType, to: SqlType): boolean =>
  to.category === 'string' ||
  from.category === 'string' ||
  (from.category === to.category &&
    (from.element === undefined || to.element === undefined || castable(from.element, to.element)));

/** Postgres' boolean input: a prefix of true/false/yes/no, on/of(f), 1 or 0. */
function isBooleanText(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === '') return false;
  return (
    ['true', 'false', 'yes', 'no'].some((word) => word.startsWith(value)) ||
    ['on', 'of', 'off', '1', '0'].includes(value)
  );
}

/** Catches values Postgres would refuse for `type`, so the client hears which column and why. */
export function isValidText(text: string, type: SqlType): boolean {
  if (type.range !== undefined) {
    if (!/^\s*[+-]?[0-9]+\s*$/.test(text)) return false;
    const value = BigInt(text.trim());
    return value >= type.range[0] && value <= type.range[1];
  }
  switch (type.category) {
    case 'uuid':
      return /^\{?[0-9a-f]{4}(-?[0-9a-f]{4}){7}\}?$/i.test(text.trim());
    case 'number':
      return (
        /^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$/.test(text) ||
        /^\s*[+-]?(nan|inf|infinity)\s*$/i.test(text)
      );
    case 'bool':
      return isBooleanText(text);
    case 'json':
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    case 'array':
      // `{a,b}`, optionally after dimensions like `[1:2]=`; Postgres checks the items.
      return /^\s*(\[[0-9:+-]*\]\s*)*=?\s*\{.*\}\s*$/s.test(text);
    case 'datetime':
      // Dates have many spellings ('2024-01-01', 'Jan 5 2024', 'today'): Postgres judges those,
      // this only catches values that cannot be one, like 'true' or ''.
      return (
        /[0-9]/.test(text) ||
        /^\s*(now|today|tomorrow|yesterday|epoch|[+-]?infinity|allballs)\s*$/i.test(text)
      );
    case 'string':
      return true;
  }
}

/**
 * The `where` of a shape request, compiled to SQL. The clause comes from the network, so it is
 * never spliced into a statement: it is tokenized and parsed here by hand into a small AST, and the
 * SQL is written from that AST alone. Operators, keywords and type names in the output are this
 * file's own constants, columns are looked up in the table's column map (and quoted), and every
 * literal and `$n` parameter is a bound parameter with an explicit CAST. The client can only narrow
 * a shape: the caller ANDs the fragment with its tenant filter, and the fragment always comes out
 * in parentheses of its own.
 *
 * Grammar (keywords case-insensitive; Postgres precedence, loosest first):
 *   or         := and (OR and)*
 *   and        := not (AND not)*
 *   not        := NOT not | is
 *   is         := compare [IS [NOT] (NULL | TRUE | FALSE)]
 *   compare    := member [(= | <> | != | < | <= | > | >=) (member | ANY '(' operand ')')]
 *   member     := arrayop [[NOT] IN '(' arrayop (, arrayop)* ')' | [NOT] (LIKE | ILIKE) arrayop
 *                          | [NOT] BETWEEN arrayop AND arrayop]
 *   arrayop    := operand [(@> | <@ | &&) operand]
 *   operand    := primary (:: type ['[]'])*
 *   primary    := column | "Quoted column" | 'string' | [-]number | TRUE | FALSE | NULL | $n
 *                 | ARRAY '[' [value (, value)*] ']' | '(' or ')'
 * Error positions are 1-based character numbers in the clause, as Postgres reports them.
 */
import { type SQL, sql } from 'drizzle-orm';
import { AppError } from '../../db/errors.ts';

export interface WhereColumn {
  name: string;
  /** Postgres type name as in pg_type.typname: 'uuid', 'varchar', 'int4', 'timestamptz', '_text'… */
  type: string;
}

export const whereLimits = { length: 4_000, depth: 32, inItems: 500 } as const;

/** Echoed input is cut short: a message names the problem, it does not repeat the request. */
const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
const invalid = (message: string): AppError => new AppError('SHAPE_INVALID', message);
const fail = (message: string, position: number): never => {
  throw invalid(`where: ${message} at position ${position}`);
};

// ---------------------------------------------------------------------------------------------
// Types: the only type names that reach the SQL are the `name`s below.

type Category = 'string' | 'number' | 'bool' | 'uuid' | 'datetime' | 'json' | 'array';
interface SqlType {
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
const TEXT = scalarTypes.get('text') as SqlType;
const NUMERIC = scalarTypes.get('numeric') as SqlType;
const BOOL = scalarTypes.get('bool') as SqlType;

const arrayOf = (element: SqlType): SqlType => ({
  name: `${element.name}[]`,
  category: 'array',
  element,
});

/** A column's pg_type.typname (arrays are `_` + element) → type; undefined if unsupported. */
function columnType(typname: string): SqlType | undefined {
  if (typname.startsWith('_')) {
    const element = scalarTypes.get(typname.slice(1));
    return element === undefined ? undefined : arrayOf(element);
  }
  return scalarTypes.get(typname);
}

/** The `::type` casts a client may write, and the typname each means. */
const castTypes = new Map<string, string>([
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

const comparable = (a: SqlType, b: SqlType): boolean =>
  a.category === b.category &&
  (a.element === undefined || b.element === undefined || comparable(a.element, b.element));

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { kind: 'word'; text: string; position: number }
  | { kind: 'quoted'; name: string; position: number }
  | { kind: 'string'; value: string; position: number }
  | { kind: 'number'; text: string; position: number }
  | { kind: 'param'; index: number; position: number }
  | { kind: 'symbol'; text: string; position: number }
  | { kind: 'end'; position: number };

const twoCharSymbols = new Set(['<>', '!=', '<=', '>=', '@>', '<@', '&&', '::']);
const oneCharSymbols = new Set(['=', '<', '>', '(', ')', ',', '[', ']', '-']);
const isWordStart = (ch: string): boolean => /[A-Za-z_]/.test(ch);
const isWordChar = (ch: string): boolean => /[A-Za-z0-9_]/.test(ch);

function describeChar(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return `"${String.fromCodePoint(code)}" (U+${hex})`;
}

/** Reads a quoted run ('…' or "…", the quote doubled inside); returns content and end index. */
function readQuoted(text: string, start: number, quote: string, what: string): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    const next = text.indexOf(quote, i);
    if (next === -1) return fail(`unterminated ${what} starting`, start + 1);
    value += text.slice(i, next);
    if (text[next + 1] !== quote) return [value, next + 1];
    value += quote;
    i = next + 2;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const position = i + 1;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i += 1;
    } else if (text.startsWith('--', i) || text.startsWith('/*', i)) {
      fail('comments are not allowed', position);
    } else if (ch === "'") {
      const [value, end] = readQuoted(text, i, "'", 'string');
      tokens.push({ kind: 'string', value, position });
      i = end;
    } else if (ch === '"') {
      const [name, end] = readQuoted(text, i, '"', 'quoted identifier');
      if (name === '') fail('empty quoted identifier ""', position);
      tokens.push({ kind: 'quoted', name, position });
      i = end;
    } else if (ch === '$') {
      const digits = /^[0-9]+/.exec(text.slice(i + 1))?.[0];
      if (digits === undefined) {
        fail('"$" must start a parameter like $1 (dollar quoting is not allowed)', position);
      } else {
        // Postgres refuses $0; a runaway index is simply never among the given params.
        const index = digits.length > 6 ? Number.MAX_SAFE_INTEGER : Number(digits);
        if (index < 1) {
          fail(`parameter $${digits} does not exist: parameters start at $1`, position);
        }
        tokens.push({ kind: 'param', index, position });
        i += 1 + digits.length;
      }
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const number = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)/.exec(text.slice(i))?.[0] ?? '';
      i += number.length;
      // `1e5`, `1abc`, `1.2.3`: Postgres itself refuses junk after a number, and so do we.
      if (i < text.length && /[A-Za-z0-9_.$]/.test(text[i] as string)) {
        fail(`malformed number "${number}${text[i]}"`, position);
      }
      tokens.push({ kind: 'number', text: number, position });
    } else if (isWordStart(ch)) {
      let end = i + 1;
      while (end < text.length && isWordChar(text[end] as string)) end += 1;
      const word = text.slice(i, end);
      // E'…', U&'…', B'…', X'…' change what the quotes mean; only plain '…' strings exist here.
      if (text[end] === "'" || text[end] === '&') {
        const prefix = text[end] === '&' ? `${word}&` : word;
        fail(
          `prefixed strings like ${prefix}'…' are not allowed: write a plain '…' string`,
          position,
        );
      }
      tokens.push({ kind: 'word', text: word, position });
      i = end;
    } else if (ch === '.') {
      const previous = tokens.at(-1);
      if (previous?.kind === 'word' || previous?.kind === 'quoted') {
        const name = previous.kind === 'word' ? previous.text : `"${previous.name}"`;
        fail(`qualified names like ${name}.… are not allowed: name the column alone`, position);
      }
      fail('unexpected "."', position);
    } else if (ch === ';') {
      fail('";" is not allowed: the where clause is a single expression', position);
    } else {
      const two = text.slice(i, i + 2);
      if (twoCharSymbols.has(two)) {
        tokens.push({ kind: 'symbol', text: two, position });
        i += 2;
      } else if (oneCharSymbols.has(ch)) {
        tokens.push({ kind: 'symbol', text: ch, position });
        i += 1;
      } else {
        fail(`unexpected character ${describeChar(text, i)}`, position);
      }
    }
  }
  tokens.push({ kind: 'end', position: text.length + 1 });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// AST and parser

type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
type ArrayOp = '@>' | '<@' | '&&';

type Literal =
  | { kind: 'string'; value: string; position: number }
  | { kind: 'number'; text: string; position: number }
  | { kind: 'param'; index: number; value: string; position: number }
  | { kind: 'bool'; value: boolean; position: number }
  | { kind: 'null'; position: number };

type Expr =
  | Literal
  | { kind: 'column'; column: WhereColumn; type: SqlType; position: number }
  | { kind: 'array'; items: Literal[]; position: number }
  | { kind: 'cast'; expr: Expr; to: SqlType; position: number }
  | { kind: 'and' | 'or'; items: Expr[]; position: number }
  | { kind: 'not'; expr: Expr; position: number }
  | { kind: 'compare'; op: CompareOp | ArrayOp; left: Expr; right: Expr; position: number }
  | { kind: 'any'; op: CompareOp; left: Expr; right: Expr; position: number }
  | { kind: 'is'; expr: Expr; test: 'NULL' | 'TRUE' | 'FALSE'; negated: boolean; position: number }
  | { kind: 'in'; expr: Expr; items: Expr[]; negated: boolean; position: number }
  | {
      kind: 'like';
      expr: Expr;
      op: 'LIKE' | 'ILIKE';
      pattern: Expr;
      negated: boolean;
      position: number;
    }
  | { kind: 'between'; expr: Expr; low: Expr; high: Expr; negated: boolean; position: number };

/** Words of this grammar: never read as column names when bare. */
const grammarWords = new Set([
  'and',
  'or',
  'not',
  'is',
  'null',
  'true',
  'false',
  'in',
  'like',
  'ilike',
  'between',
  'array',
  'any',
]);
/** SQL words a hostile or confused clause reaches for; named in the error rather than "unknown column". */
const sqlWords = new Set(
  (
    'select from where union intersect except with insert update delete drop create alter ' +
    'truncate grant exists case when then else end cast escape similar collate limit offset ' +
    'order group having returning table values into join on as distinct all some isnull notnull ' +
    'overlaps current_user session_user user current_date current_time current_timestamp ' +
    'localtime localtimestamp row'
  ).split(' '),
);
const compareOps = new Map<string, CompareOp>([
  ['=', '='],
  ['<>', '<>'],
  ['!=', '<>'],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
]);
const arrayOps = new Set<string>(['@>', '<@', '&&']);

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of the where clause';
    case 'word':
      return token.text.toUpperCase();
    case 'quoted':
      return `"${token.name}"`;
    case 'string':
      return `'${clip(token.value)}'`;
    case 'number':
      return token.text;
    case 'param':
      return `$${token.index}`;
    case 'symbol':
      return `"${token.text}"`;
  }
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly columns: ReadonlyMap<string, WhereColumn>,
    private readonly params: ReadonlyMap<number, string>,
  ) {}

  parse(): Expr {
    const expr = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') fail(`unexpected ${describeToken(rest)}`, rest.position);
    return expr;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }
  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }
  private isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }
  private isSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === symbol;
  }
  private expectSymbol(symbol: string, what: string): void {
    const token = this.peek();
    if (!this.isSymbol(symbol)) {
      fail(`expected "${symbol}" ${what} but found ${describeToken(token)}`, token.position);
    }
    this.advance();
  }
  /** Every construct that nests counts against one depth limit, so no input recurses deeply. */
  private nested<T>(position: number, parse: () => T): T {
    this.depth += 1;
    if (this.depth > whereLimits.depth) {
      fail(`nesting deeper than ${whereLimits.depth} levels`, position);
    }
    const result = parse();
    this.depth -= 1;
    return result;
  }

  private or(): Expr {
    const position = this.peek().position;
    const items = [this.and()];
    while (this.isWord('or')) {
      this.advance();
      items.push(this.and());
    }
    return items.length === 1 ? (items[0] as Expr) : { kind: 'or', items, position };
  }

  private and(): Expr {
    const position = this.peek().position;
    const items = [this.not()];
    while (this.isWord('and')) {
      this.advance();
      items.push(this.not());
    }
    return items.length === 1 ? (items[0] as Expr) : { kind: 'and', items, position };
  }

  private not(): Expr {
    if (!this.isWord('not')) return this.is();
    const position = this.advance().position;
    return this.nested(position, () => ({ kind: 'not', expr: this.not(), position }));
  }

  private is(): Expr {
    const expr = this.compare();
    if (!this.isWord('is')) return expr;
    const position = this.advance().position;
    const negated = this.isWord('not');
    if (negated) this.advance();
    const token = this.advance();
    const test = token.kind === 'word' ? token.text.toUpperCase() : '';
    if (test !== 'NULL' && test !== 'TRUE' && test !== 'FALSE') {
      return fail(
        `expected NULL, TRUE or FALSE after IS but found ${describeToken(token)}`,
        token.position,
      );
    }
    return { kind: 'is', expr, test, negated, position };
  }

  private compare(): Expr {
    const left = this.member();
    const token = this.peek();
    const op = token.kind === 'symbol' ? compareOps.get(token.text) : undefined;
    if (op === undefined) return left;
    this.advance();
    if (this.isWord('any')) {
      const anyPosition = this.advance().position;
      return this.nested(anyPosition, () => {
        this.expectSymbol('(', 'after ANY');
        const right = this.operand();
        this.expectSymbol(')', 'to close ANY(');
        return { kind: 'any', op, left, right, position: token.position };
      });
    }
    return { kind: 'compare', op, left, right: this.member(), position: token.position };
  }

  private member(): Expr {
    const expr = this.arrayOp();
    const negated =
      this.isWord('not') && ['in', 'like', 'ilike', 'between'].some((w) => this.isWord(w, 1));
    if (negated) this.advance();
    const token = this.peek();
    const position = token.position;
    if (this.isWord('in')) {
      this.advance();
      return this.nested(position, () => {
        this.expectSymbol('(', 'after IN');
        if (this.isSymbol(')')) fail('IN () needs at least one value', this.peek().position);
        const items = [this.arrayOp()];
        while (this.isSymbol(',')) {
          this.advance();
          items.push(this.arrayOp());
          if (items.length > whereLimits.inItems) {
            fail(`IN lists more than ${whereLimits.inItems} values`, position);
          }
        }
        this.expectSymbol(')', 'to close IN (');
        return { kind: 'in', expr, items, negated, position };
      });
    }
    if (this.isWord('like') || this.isWord('ilike')) {
      const op = this.isWord('ilike') ? 'ILIKE' : 'LIKE';
      this.advance();
      return { kind: 'like', expr, op, pattern: this.arrayOp(), negated, position };
    }
    if (this.isWord('between')) {
      this.advance();
      const low = this.arrayOp();
      if (!this.isWord('and')) {
        const next = this.peek();
        fail(`expected AND in BETWEEN but found ${describeToken(next)}`, next.position);
      }
      this.advance();
      return { kind: 'between', expr, low, high: this.arrayOp(), negated, position };
    }
    return expr;
  }

  private arrayOp(): Expr {
    const left = this.operand();
    const token = this.peek();
    if (token.kind !== 'symbol' || !arrayOps.has(token.text)) return left;
    this.advance();
    const op = token.text as ArrayOp;
    return { kind: 'compare', op, left, right: this.operand(), position: token.position };
  }

  private operand(): Expr {
    let expr = this.primary();
    let casts = 0;
    while (this.isSymbol('::')) {
      const position = this.advance().position;
      casts += 1;
      if (this.depth + casts > whereLimits.depth) {
        fail(`nesting deeper than ${whereLimits.depth} levels`, position);
      }
      expr = { kind: 'cast', expr, to: this.castType(), position };
    }
    return expr;
  }

  private castType(): SqlType {
    const token = this.advance();
    const name = token.kind === 'word' ? token.text.toLowerCase() : '';
    const typname = castTypes.get(name);
    if (typname === undefined) {
      const allowed = [...castTypes.keys()].join(', ');
      const what = token.kind === 'word' ? name : describeToken(token);
      return fail(`cast to ${what} is not allowed (allowed: ${allowed})`, token.position);
    }
    const type = columnType(typname) as SqlType;
    if (this.isSymbol('(')) {
      fail(`type modifiers like ${name}(…) are not allowed`, this.peek().position);
    }
    if (!this.isSymbol('[')) return type;
    this.advance();
    this.expectSymbol(']', 'after "[" in an array type');
    return arrayOf(type);
  }

  private primary(): Expr {
    const token = this.advance();
    const position = token.position;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, position };
      case 'number':
        return { kind: 'number', text: token.text, position };
      case 'param':
        return this.param(token.index, position);
      case 'quoted':
        return this.column(token.name, `"${token.name}"`, position);
      case 'word':
        return this.word(token.text, position);
      case 'symbol':
        if (token.text === '-') {
          const next = this.advance();
          if (next.kind !== 'number') fail('"-" is only allowed right before a number', position);
          return { kind: 'number', text: `-${(next as { text: string }).text}`, position };
        }
        if (token.text === '(') {
          return this.nested(position, () => {
            const inner = this.or();
            if (!this.isSymbol(')')) {
              const next = this.peek();
              const found = describeToken(next);
              fail(
                `expected ")" to close the "(" at position ${position} but found ${found}`,
                next.position,
              );
            }
            this.advance();
            return inner;
          });
        }
        return fail(`expected a column or a value but found ${describeToken(token)}`, position);
      case 'end':
        return fail('unexpected end of the where clause', position);
    }
  }

  private param(index: number, position: number): Literal {
    const value = this.params.get(index);
    if (value === undefined) {
      const shown = index === Number.MAX_SAFE_INTEGER ? 'n' : String(index);
      fail(`parameter $${shown} is not given (send it as params[${shown}])`, position);
    }
    return { kind: 'param', index, value: value as string, position };
  }

  private word(text: string, position: number): Expr {
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === 'false') {
      return { kind: 'bool', value: lower === 'true', position };
    }
    if (lower === 'null') return { kind: 'null', position };
    if (lower === 'array') return this.arrayLiteral(position);
    if (grammarWords.has(lower)) {
      fail(`expected a column or a value but found ${text.toUpperCase()}`, position);
    }
    if (lower === 'cast') fail('CAST(… AS …) is not supported: write value::type', position);
    if (!this.columns.has(lower) && sqlWords.has(lower)) {
      fail(
        `${text.toUpperCase()} is not allowed: only conditions on the table's columns are`,
        position,
      );
    }
    return this.column(lower, text, position);
  }

  private column(key: string, written: string, position: number): Expr {
    if (this.isSymbol('(')) fail(`function calls are not allowed: ${written}(…)`, position);
    const column = this.columns.get(key);
    if (column === undefined) return fail(`unknown column "${key}"`, position);
    const type = columnType(column.type);
    if (type === undefined) {
      fail(
        `column "${column.name}" has type ${column.type}, which a where clause cannot filter on`,
        position,
      );
    }
    return { kind: 'column', column, type: type as SqlType, position };
  }

  private arrayLiteral(position: number): Expr {
    return this.nested(position, () => {
      this.expectSymbol('[', 'after ARRAY');
      const items: Literal[] = [];
      while (!this.isSymbol(']')) {
        if (items.length > 0) this.expectSymbol(',', 'between ARRAY items');
        const item = this.primary();
        if (!['string', 'number', 'param', 'bool', 'null'].includes(item.kind)) {
          fail('ARRAY[…] items must be values or parameters', item.position);
        }
        items.push(item as Literal);
        if (items.length > whereLimits.inItems) {
          fail(`ARRAY lists more than ${whereLimits.inItems} values`, position);
        }
      }
      this.advance();
      return { kind: 'array', items, position };
    });
  }
}

type Condition = Extract<
  Expr,
  { kind: 'and' | 'or' | 'not' | 'compare' | 'any' | 'is' | 'in' | 'like' | 'between' }
>;

// ---------------------------------------------------------------------------------------------
// Compiler: AST → SQL. Conditions put themselves in parentheses; values are cast explicitly.

/** How a value is named in messages. */
function describe(expr: Expr): string {
  switch (expr.kind) {
    case 'column':
      return `column "${expr.column.name}"`;
    case 'string':
      return `'${clip(expr.value)}'`;
    case 'number':
      return `the number ${expr.text}`;
    case 'param':
      return `$${expr.index}`;
    case 'bool':
      return expr.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'array':
      return 'ARRAY[…]';
    case 'cast':
      return `${describe(expr.expr)}::${expr.to.name}`;
    case 'and':
    case 'or':
    case 'not':
    case 'compare':
    case 'any':
    case 'is':
    case 'in':
    case 'like':
    case 'between':
      return 'a condition';
  }
}

const isLiteral = (expr: Expr): expr is Literal =>
  expr.kind === 'string' ||
  expr.kind === 'number' ||
  expr.kind === 'param' ||
  expr.kind === 'bool' ||
  expr.kind === 'null';

/** The type an expression has by itself; undefined for literals, which take their context's. */
function staticType(expr: Expr): SqlType | undefined {
  if (expr.kind === 'column') return expr.type;
  if (expr.kind === 'cast') return expr.to;
  if (isLiteral(expr) || expr.kind === 'array') return undefined;
  return BOOL;
}

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
function isValidText(text: string, type: SqlType): boolean {
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

/** What a literal is checked against, and the phrase that says so in messages. */
interface Target {
  type: SqlType;
  /** e.g. `to compare with column "status"`, `for ::uuid`. */
  why: string;
}
interface Emitted {
  sql: SQL;
  type: SqlType;
}

const bind = (value: string | null, type: SqlType): Emitted => ({
  sql: sql`CAST(${value} AS ${sql.raw(type.name)})`,
  type,
});

/** A cast Postgres has: anything to and from text, and within a category. */
const castable = (from: SqlType, to: SqlType): boolean =>
  to.category === 'string' ||
  from.category === 'string' ||
  (from.category === to.category &&
    (from.element === undefined || to.element === undefined || castable(from.element, to.element)));

class Compiler {
  constructor(private readonly alias: string) {}

  condition(expr: Expr): SQL {
    const out = this.value(expr, { type: BOOL, why: 'for a condition' });
    if (out.type.category !== 'bool') {
      fail(`expected a condition but ${describe(expr)} is ${out.type.name}`, expr.position);
    }
    return out.sql;
  }

  /** Emits `expr`; literals take `target`'s type (required for them). */
  private value(expr: Expr, target?: Target): Emitted {
    switch (expr.kind) {
      case 'column':
        return {
          sql: sql`${sql.raw(this.alias)}.${sql.identifier(expr.column.name)}`,
          type: expr.type,
        };
      case 'cast':
        return this.cast(expr.expr, expr.to);
      case 'string':
      case 'number':
      case 'param':
      case 'bool':
      case 'null':
      case 'array':
        return this.literal(expr, target ?? { type: TEXT, why: '' });
      case 'and':
      case 'or':
      case 'not':
      case 'compare':
      case 'any':
      case 'is':
      case 'in':
      case 'like':
      case 'between':
        return { sql: this.boolean(expr), type: BOOL };
    }
  }

  private literal(expr: Literal | Extract<Expr, { kind: 'array' }>, target: Target): Emitted {
    const { type, why } = target;
    const expected = `expected ${type.name} (${why}) but found`;
    switch (expr.kind) {
      case 'null':
        return bind(null, type);
      case 'bool':
        if (type.category !== 'bool') fail(`${expected} ${describe(expr)}`, expr.position);
        return bind(expr.value ? 'true' : 'false', type);
      case 'number': {
        if (type.category !== 'number') fail(`${expected} ${describe(expr)}`, expr.position);
        // `int_column = 2.5` or a number beyond the column's range compares as numeric, as in Postgres.
        const fits = type.range === undefined || isValidText(expr.text, type);
        return bind(expr.text, fits ? type : NUMERIC);
      }
      case 'string':
      case 'param': {
        const shown =
          expr.kind === 'param' ? `$${expr.index} ('${clip(expr.value)}')` : describe(expr);
        if (!isValidText(expr.value, type)) {
          fail(`${shown} is not a valid ${type.name} (${why})`, expr.position);
        }
        return bind(expr.value, type);
      }
      case 'array': {
        const element = type.element;
        if (element === undefined) return fail(`${expected} ARRAY[…]`, expr.position);
        const items = expr.items.map((item) => {
          const out = this.literal(item, { type: element, why });
          // An array's items all have its element type, or `int4[] @> numeric[]` would not resolve.
          if (out.type !== element)
            fail(`${describe(item)} is not a valid ${element.name} (${why})`, item.position);
          return out.sql;
        });
        if (items.length === 0) return { sql: sql`CAST(ARRAY[] AS ${sql.raw(type.name)})`, type };
        return { sql: sql`ARRAY[${sql.join(items, sql`, `)}]`, type };
      }
    }
  }

  private cast(inner: Expr, to: SqlType): Emitted {
    const why = `for ::${to.name}`;
    if (
      inner.kind === 'array' ||
      inner.kind === 'null' ||
      inner.kind === 'string' ||
      inner.kind === 'param'
    ) {
      return this.literal(inner, { type: to, why });
    }
    if (inner.kind === 'number' || inner.kind === 'bool') {
      // A number or TRUE cast to text is its own spelling; to anything else, it is checked as one.
      const text = inner.kind === 'number' ? inner.text : String(inner.value);
      if (!isValidText(text, to))
        fail(`${describe(inner)} is not a valid ${to.name} (${why})`, inner.position);
      return bind(text, to);
    }
    const from = this.value(inner);
    if (!castable(from.type, to)) {
      fail(`cannot cast ${describe(inner)} (${from.type.name}) to ${to.name}`, inner.position);
    }
    return { sql: sql`CAST(${from.sql} AS ${sql.raw(to.name)})`, type: to };
  }

  /**
   * Emits expressions that are compared with one another: those with a type of their own must
   * agree, and literals take that type (or `fallback`, or a default: numeric next to a number,
   * boolean next to TRUE/FALSE, else text).
   */
  private unify(exprs: Expr[], fallback?: Target): Emitted[] {
    const typed = exprs.filter((expr) => staticType(expr) !== undefined);
    const first = typed[0];
    let target: Target;
    if (first !== undefined) {
      const type = staticType(first) as SqlType;
      for (const other of typed.slice(1)) {
        const otherType = staticType(other) as SqlType;
        if (!comparable(type, otherType)) {
          fail(
            `cannot compare ${describe(first)} (${type.name}) with ${describe(other)} (${otherType.name})`,
            other.position,
          );
        }
      }
      target = { type, why: `to compare with ${describe(first)}` };
    } else {
      target = fallback ?? this.defaultTarget(exprs);
    }
    return exprs.map((expr) => this.value(expr, target));
  }

  private defaultTarget(exprs: Expr[]): Target {
    const number = exprs.find((expr) => expr.kind === 'number');
    if (number !== undefined) return { type: NUMERIC, why: `to compare with ${describe(number)}` };
    const bool = exprs.find((expr) => expr.kind === 'bool');
    if (bool !== undefined) return { type: BOOL, why: `to compare with ${describe(bool)}` };
    const array = exprs.find((expr) => expr.kind === 'array');
    if (array !== undefined) {
      fail(
        'cannot tell the type of ARRAY[…]: compare it with an array column or cast it, e.g. ::text[]',
        array.position,
      );
    }
    return { type: TEXT, why: 'to compare as text' };
  }

  private boolean(expr: Condition): SQL {
    switch (expr.kind) {
      case 'and':
      case 'or': {
        const glue = sql.raw(expr.kind === 'and' ? ' AND ' : ' OR ');
        return sql`(${sql.join(
          expr.items.map((item) => this.condition(item)),
          glue,
        )})`;
      }
      case 'not':
        return sql`(NOT ${this.condition(expr.expr)})`;
      case 'compare': {
        const [left, right] = this.unify([expr.left, expr.right]) as [Emitted, Emitted];
        if (arrayOps.has(expr.op) && left.type.category !== 'array') {
          fail(
            `${expr.op} compares arrays but ${describe(expr.left)} is ${left.type.name}`,
            expr.position,
          );
        }
        return sql`(${left.sql} ${sql.raw(expr.op)} ${right.sql})`;
      }
      case 'any':
        return this.any(expr.op, expr.left, expr.right, expr.position);
      case 'is': {
        const test = `IS ${expr.negated ? 'NOT ' : ''}${expr.test}`;
        if (expr.test === 'NULL') {
          const [value] = this.unify([expr.expr]) as [Emitted];
          return sql`(${value.sql} ${sql.raw(test)})`;
        }
        return sql`(${this.condition(expr.expr)} ${sql.raw(test)})`;
      }
      case 'in': {
        const [value, ...items] = this.unify([expr.expr, ...expr.items]) as [Emitted, ...Emitted[]];
        const list = sql.join(
          items.map((item) => item.sql),
          sql`, `,
        );
        return sql`(${value.sql} ${sql.raw(expr.negated ? 'NOT IN' : 'IN')} (${list}))`;
      }
      case 'like': {
        // Checked before the pattern is: `id LIKE 'a%'` is a LIKE on a uuid, not a bad uuid.
        for (const side of [expr.expr, expr.pattern]) {
          const type = staticType(side);
          if (type !== undefined && type.category !== 'string') {
            fail(
              `${expr.op} needs text but ${describe(side)} is ${type.name}; cast it with ::text`,
              side.position,
            );
          }
        }
        const [value, pattern] = this.unify([expr.expr, expr.pattern], {
          type: TEXT,
          why: `for ${expr.op}`,
        }) as [Emitted, Emitted];
        const op = `${expr.negated ? 'NOT ' : ''}${expr.op}`;
        return sql`(${value.sql} ${sql.raw(op)} ${pattern.sql})`;
      }
      case 'between': {
        const [value, low, high] = this.unify([expr.expr, expr.low, expr.high]) as [
          Emitted,
          Emitted,
          Emitted,
        ];
        const op = expr.negated ? 'NOT BETWEEN' : 'BETWEEN';
        return sql`(${value.sql} ${sql.raw(op)} ${low.sql} AND ${high.sql})`;
      }
    }
  }

  /** `value op ANY(array)`: the value is compared with the array's element type. */
  private any(op: CompareOp, left: Expr, right: Expr, position: number): SQL {
    const arrayType = staticType(right);
    if (arrayType !== undefined && arrayType.element === undefined) {
      fail(`ANY(…) needs an array but ${describe(right)} is ${arrayType.name}`, right.position);
    }
    const leftType = staticType(left);
    if (leftType?.category === 'array') {
      fail(
        `${op} ANY(…) compares one value with an array's items but ${describe(left)} is an array`,
        position,
      );
    }
    let element: Target;
    if (arrayType?.element !== undefined) {
      if (leftType !== undefined && !comparable(leftType, arrayType.element)) {
        fail(
          `cannot compare ${describe(left)} (${leftType.name}) with the items of ${describe(right)} (${arrayType.name})`,
          left.position,
        );
      }
      element = { type: arrayType.element, why: `to compare with the items of ${describe(right)}` };
    } else if (leftType !== undefined) {
      element = { type: leftType, why: `to compare with ${describe(left)}` };
    } else {
      element = this.defaultTarget(right.kind === 'array' ? [left, ...right.items] : [left]);
    }
    const value = this.value(left, element);
    const array = this.value(right, { type: arrayOf(element.type), why: element.why });
    return sql`(${value.sql} ${sql.raw(op)} ANY(${array.sql}))`;
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Compiles a client's shape `where` to a parenthesized SQL condition over `alias`'s columns, or
 * throws AppError('SHAPE_INVALID') naming the problem and its position. `params` are the values
 * of `$1`…`$n`; `columns` maps the names a client may write to the table's columns.
 */
export function compileWhere(
  where: string,
  params: ReadonlyMap<number, string>,
  columns: ReadonlyMap<string, WhereColumn>,
  alias: string,
): SQL {
  // The alias is the server's own, but it is written raw into the SQL: hold it to a plain name.
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) {
    throw new Error(`compileWhere: alias "${alias}" is not a plain identifier`);
  }
  if (where.length > whereLimits.length) {
    throw invalid(`where: longer than ${whereLimits.length} characters (${where.length})`);
  }
  if (where.trim() === '') throw invalid('where: the where clause is empty');
  const nul = where.indexOf('\0');
  if (nul !== -1) fail('NUL characters are not allowed', nul + 1);

  const expr = new Parser(tokenize(where), columns, params).parse();
  const condition = new Compiler(alias).condition(expr);
  // Conditions come out parenthesized; a bare boolean column or cast gets parentheses here.
  return staticType(expr) === BOOL && expr.kind !== 'column' && expr.kind !== 'cast'
    ? condition
    : sql`(${condition})`;
}

const bracketKey = /^params\[(.*)\]$/s;

/**
 * The `$n` values of a shape request: `params[1]=…&params[2]=…` as the Electric client sends
 * them, or `params={"1":"…"}` as one JSON object. Keys must be positive integers, values strings.
 */
export function parseParams(query: Record<string, unknown>): Map<number, string> {
  const params = new Map<number, string>();
  const add = (key: string, value: unknown, label: string): void => {
    if (!/^[1-9][0-9]{0,5}$/.test(key)) {
      throw invalid(`params: ${label} is not a parameter number (a positive integer like 1)`);
    }
    if (Array.isArray(value)) throw invalid(`params: ${label} is given more than once`);
    if (typeof value !== 'string') throw invalid(`params: ${label} must be a string`);
    const index = Number(key);
    if (params.has(index)) throw invalid(`params: $${index} is given more than once`);
    params.set(index, value);
  };

  for (const [key, value] of Object.entries(query)) {
    if (key === 'params') {
      for (const [inner, innerValue] of Object.entries(paramsObject(value))) {
        add(inner, innerValue, `key "${clip(inner)}" of params`);
      }
      continue;
    }
    const bracket = bracketKey.exec(key);
    if (bracket !== null) add(bracket[1] as string, value, `"${clip(key)}"`);
  }
  return params;
}

/** `params` as a JSON object string, or an object a query-string parser already built. */
function paramsObject(value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      throw invalid('params: not a JSON object like {"1":"value"}');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('params: not a JSON object like {"1":"value"}');
  }
  return parsed as Record<string, unknown>;
}

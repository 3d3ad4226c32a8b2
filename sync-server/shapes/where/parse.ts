/**
 * The recursive-descent parser: tokens → AST. Columns are resolved here, against the table's
 * column map, and `$n` parameters against the params given.
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
 */
import { type ArrayOp, arrayOps, compareOps, type Expr, type Literal } from './ast.ts';
import { TokenCursor } from './cursor.ts';
import { fail } from './errors.ts';
import { whereLimits } from './limits.ts';
import { describeToken, type Token } from './tokens.ts';
import { arrayOf, castTypes, columnType, type SqlType, type WhereColumn } from './types.ts';

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

export class Parser extends TokenCursor {
  constructor(
    tokens: Token[],
    private readonly columns: ReadonlyMap<string, WhereColumn>,
    private readonly params: ReadonlyMap<number, string>,
  ) {
    super(tokens);
  }

  parse(): Expr {
    const expr = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') fail(`unexpected ${describeToken(rest)}`, rest.position);
    return expr;
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

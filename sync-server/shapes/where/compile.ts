/** Compiler: AST → SQL. Conditions put themselves in parentheses; values are cast explicitly. */
import { type SQL, sql } from 'drizzle-orm';
import {
  arrayOps,
  type CompareOp,
  type Condition,
  describe,
  type Expr,
  type Literal,
  staticType,
} from './ast.ts';
import { clip, fail } from './errors.ts';
import {
  arrayOf,
  BOOL,
  castable,
  comparable,
  isValidText,
  NUMERIC,
  type SqlType,
  TEXT,
} from './types.ts';

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

export class Compiler {
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

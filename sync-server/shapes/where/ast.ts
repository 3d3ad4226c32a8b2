/** AST: what the parser builds and the compiler reads, and how its nodes are named in messages. */
import { clip } from './errors.ts';
import { BOOL, type SqlType, type WhereColumn } from './types.ts';

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type ArrayOp = '@>' | '<@' | '&&';

export type Literal =
  | { kind: 'string'; value: string; position: number }
  | { kind: 'number'; text: string; position: number }
  | { kind: 'param'; index: number; value: string; position: number }
  | { kind: 'bool'; value: boolean; position: number }
  | { kind: 'null'; position: number };

export type Expr =
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

export type Condition = Extract<
  Expr,
  { kind: 'and' | 'or' | 'not' | 'compare' | 'any' | 'is' | 'in' | 'like' | 'between' }
>;

export const compareOps = new Map<string, CompareOp>([
  ['=', '='],
  ['<>', '<>'],
  ['!=', '<>'],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
]);
export const arrayOps = new Set<string>(['@>', '<@', '&&']);

/** How a value is named in messages. */
export function describe(expr: Expr): string {
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
export function staticType(expr: Expr): SqlType | undefined {
  if (expr.kind === 'column') return expr.type;
  if (expr.kind === 'cast') return expr.to;
  if (isLiteral(expr) || expr.kind === 'array') return undefined;
  return BOOL;
}

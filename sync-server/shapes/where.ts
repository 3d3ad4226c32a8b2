/**
 * The `where` of a shape request, compiled to SQL. The clause comes from the network, so it is
 * never spliced into a statement: it is tokenized and parsed here by hand into a small AST, and the
 * SQL is written from that AST alone. Operators, keywords and type names in the output are this
 * module's own constants, columns are looked up in the table's column map (and quoted), and every
 * literal and `$n` parameter is a bound parameter with an explicit CAST. The client can only narrow
 * a shape: the caller ANDs the fragment with its tenant filter, and the fragment always comes out
 * in parentheses of its own.
 *
 * One file per step, under where/: tokens.ts (tokenizer), parse.ts (parser and grammar, with
 * cursor.ts), ast.ts (the nodes between them), types.ts (column types, casts, value checks),
 * compile.ts (AST → SQL), params.ts (the `$n` values); errors.ts and limits.ts are shared.
 */
import { type SQL, sql } from 'drizzle-orm';
import { staticType } from './where/ast.ts';
import { Compiler } from './where/compile.ts';
import { fail, invalid } from './where/errors.ts';
import { whereLimits } from './where/limits.ts';
import { Parser } from './where/parse.ts';
import { tokenize } from './where/tokens.ts';
import { BOOL, type WhereColumn } from './where/types.ts';

export { whereLimits } from './where/limits.ts';
export { parseParams } from './where/params.ts';
export type { WhereColumn } from './where/types.ts';

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

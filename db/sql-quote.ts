/** Quoting for the few names and literals that are spliced into SQL text (never request input). */

/** `leads` → `"leads"`; an embedded quote is doubled. Postgres and SQLite alike. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** `O'Brien` → `'O''Brien'`. Postgres (standard_conforming_strings) and SQLite alike. */
export const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

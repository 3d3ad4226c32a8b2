/** Tokens: the clause split into words, quoted names, strings, numbers, `$n` and symbols. */
import { clip, fail } from './errors.ts';

export type Token =
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

export function tokenize(text: string): Token[] {
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

export function describeToken(token: Token): string {
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

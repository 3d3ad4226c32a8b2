/*
 * What a person types in the search box, as an FTS5 query over `leads_search` (migration 0005:
 * customer_name, description, and phone_digits — every suffix of the phone's digits).
 *
 * Typed text is never FTS5 syntax: it is cut into words (letters, digits, combining marks; anything
 * else separates, as FTS5's unicode61 tokenizer does) and each word becomes a quoted prefix term,
 * `"word"*`. Inside double quotes nothing is an operator (NEAR, AND, OR, NOT, -, ^, :, *, parens), and
 * a word holds no quote to escape, so no input can produce an FTS5 syntax error.
 */

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
/** Characters people type inside a phone number: "(512) 555-1234", "+1 512.555.1234". */
const PHONE_TEXT = /^[\d\s()+.\-/]*$/u;
/** Bounds what one keystroke can ask of the index (the box itself allows 200 characters). */
const MAX_WORDS = 12;
const MAX_WORD_LENGTH = 64;

const prefixTerm = (word: string): string => `"${word}"*`;

/**
 * The FTS5 MATCH expression for `input` over every column (or, for the inbox, the name and phone
 * only), or undefined when it holds no word at all (only spaces, punctuation or emoji): then the
 * search narrows nothing.
 *
 * Every word must prefix a word of the name, the description or the phone digits. A query that is
 * only a phone number split by spaces, dashes or parentheses ("(512) 555") is also looked up as one
 * run of digits ("512555"), which is what the person meant; its groups alone then match only names
 * and descriptions, so "512 555" does not find a phone that merely holds 512 and 555 apart.
 */
export function leadSearchMatch(
  input: string,
  columns: 'all' | 'nameAndPhone' = 'all',
): string | undefined {
  const text = input.normalize('NFKC');
  const words = (text.match(WORD) ?? [])
    .slice(0, MAX_WORDS)
    .map((word) => word.slice(0, MAX_WORD_LENGTH));
  if (words.length === 0) return undefined;
  const everyWord = words.map(prefixTerm).join(' AND ');
  const textColumns = columns === 'all' ? '{customer_name description}' : 'customer_name';
  if (words.length > 1 && PHONE_TEXT.test(text)) {
    const digits = words.join('').slice(0, MAX_WORD_LENGTH);
    return `phone_digits : ${prefixTerm(digits)} OR ${textColumns} : (${everyWord})`;
  }
  return columns === 'all' ? everyWord : `{customer_name phone_digits} : (${everyWord})`;
}

import type { ShapeStreamOptions } from '@electric-sql/client';

/** The client's parser type (not exported under its own name). */
type Parser = NonNullable<ShapeStreamOptions['parser']>;

/**
 * The replica's codec (db/replica/codec.ts) decodes Postgres text itself, exactly — money as
 * decimal text, timestamps with microseconds. So the client must hand every value over as the
 * string the server sent, never as a JS number, boolean, BigInt or parsed JSON.
 */

const asSent = (value: string): string => value;

/**
 * Identity for every type name the Electric client parses by default (types it has no parser for
 * are passed through already).
 */
export const rawTextParser: Parser = {
  int2: asSent,
  int4: asSent,
  int8: asSent,
  bool: asSent,
  float4: asSent,
  float8: asSent,
  json: asSent,
  jsonb: asSent,
};

/**
 * The client types each value by `electric-schema`: it parses an array column (one with `dims`)
 * into a JS array whatever parser it is given, and for every other value it still builds a parser
 * closure per value. The replica needs neither: the codec decodes Postgres text itself (arrays with
 * Postgres's quoting and NULL rules, which the client's array parser does not follow exactly), and
 * the replica's own column types say how. So the schema the client sees is emptied: every value
 * passes through as the text the server sent, and the initial sync does not pay for typing it
 * twice. (The header must stay present: the client refuses a response without it.)
 */
export function withValuesAsText(response: Response): Response {
  const header = response.headers.get('electric-schema');
  if (header === null || header === '{}') return response;
  const headers = new Headers(response.headers);
  headers.set('electric-schema', '{}');
  // The same response with other headers: wrapping its body in a new Response breaks the client's
  // prefetch, which can hand the original on as well ("Body has already been read").
  Object.defineProperty(response, 'headers', { value: headers });
  return response;
}

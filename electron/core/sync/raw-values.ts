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
 * The client parses an array column (one with `dims` in `electric-schema`) into a JS array whatever
 * parser it is given, so a `text[]` literal would reach the codec as an array. Removing `dims` from
 * the response's schema makes the client pass the literal through like any other text; the codec
 * parses it (with Postgres's quoting and NULL rules, which the client's array parser does not
 * follow exactly).
 */
export function withArraysAsText(response: Response): Response {
  const header = response.headers.get('electric-schema');
  if (header === null || !header.includes('"dims"')) return response;
  let schema: unknown;
  try {
    schema = JSON.parse(header);
  } catch {
    return response; // the client reports a malformed schema itself
  }
  if (typeof schema !== 'object' || schema === null) return response;
  const flat = Object.fromEntries(
    Object.entries(schema).map(([column, info]) => {
      if (typeof info !== 'object' || info === null) return [column, info];
      const rest: Record<string, unknown> = { ...(info as Record<string, unknown>) };
      delete rest.dims;
      return [column, rest];
    }),
  );
  const headers = new Headers(response.headers);
  headers.set('electric-schema', JSON.stringify(flat));
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

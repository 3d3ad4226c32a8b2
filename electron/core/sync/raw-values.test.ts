import { type Message, type Row, ShapeStream } from '@electric-sql/client';
import { describe, expect, it } from 'vitest';
import { fromPgText } from '../../../db/replica/codec.ts';
import { rawTextParser, withValuesAsText } from './raw-values.ts';

/** One shape answer as a server speaking the protocol writes it, for every type the client parses. */
function answer(): Response {
  const schema = {
    id: { type: 'uuid', pk_index: 0, not_null: true },
    tags: { type: 'text', dims: 1 },
    grid: { type: 'int4', dims: 2 },
    n: { type: 'int4' },
    big: { type: 'int8' },
    flag: { type: 'bool' },
    ratio: { type: 'float8' },
    money: { type: 'numeric', precision: 10, scale: 2 },
    data: { type: 'jsonb' },
    plain: { type: 'json' },
    at: { type: 'timestamptz' },
  };
  const value = {
    id: '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f',
    tags: '{"a,b","say \\"hi\\"","back\\\\slash",NULL,"","NULL"}',
    grid: '{{1,2},{3,NULL}}',
    n: '2147483647',
    big: '9223372036854775807',
    flag: 't',
    ratio: '0.1',
    money: '99999999.99',
    data: '{"x": 1.50, "big": 12345678901234567890}',
    plain: '{"a":  1}',
    at: '2026-11-27 11:37:41.123456-06',
  };
  const body = JSON.stringify([
    { key: '"public"."t"/"1"', headers: { operation: 'insert' }, value },
    { headers: { control: 'up-to-date' } },
  ]);
  return new Response(body, {
    headers: {
      'content-type': 'application/json',
      'electric-handle': 'h-1',
      'electric-offset': '1_0',
      'electric-schema': JSON.stringify(schema),
      'electric-up-to-date': '',
    },
  });
}

/** The values the real client hands its subscriber for that answer. */
async function delivered(transform: (response: Response) => Response): Promise<Row> {
  const stream = new ShapeStream({
    url: 'http://127.0.0.1:9/v1/shape',
    params: { table: 't' },
    subscribe: false,
    parser: rawTextParser,
    fetchClient: () => Promise.resolve(transform(answer())),
  });
  return new Promise((resolve, reject) => {
    stream.subscribe((messages: Message<Row>[]) => {
      const change = messages.find((message) => 'key' in message);
      if (change && 'value' in change) resolve(change.value);
    }, reject);
  });
}

describe('raw values', () => {
  it('hands every value over as the text the server sent, arrays included', async () => {
    const values = await delivered(withValuesAsText);
    expect(values).toEqual({
      id: '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f',
      tags: '{"a,b","say \\"hi\\"","back\\\\slash",NULL,"","NULL"}',
      grid: '{{1,2},{3,NULL}}',
      n: '2147483647',
      big: '9223372036854775807',
      flag: 't',
      ratio: '0.1',
      money: '99999999.99',
      data: '{"x": 1.50, "big": 12345678901234567890}',
      plain: '{"a":  1}',
      at: '2026-11-27 11:37:41.123456-06',
    });
    // Which the codec then reads exactly.
    expect(JSON.parse(fromPgText('text[]', values.tags as string) as string)).toEqual([
      'a,b',
      'say "hi"',
      'back\\slash',
      null,
      '',
      'NULL',
    ]);
  });

  it('is needed: without it the client turns an array column into a JS array', async () => {
    const values = await delivered((response) => response);
    expect(Array.isArray(values.tags)).toBe(true);
    expect(values.n).toBe('2147483647'); // the parser alone handles the scalar types
  });
});

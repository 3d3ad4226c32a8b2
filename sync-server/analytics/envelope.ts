import { z } from 'zod';
import { type CacheVersion, formatVersion, parseVersion } from './version.ts';

/**
 * What the store holds for every key: the value and the version it was computed at, as JSON
 * `{"v":"epoch:seq","d":value}`. A reader trusts nothing it reads back: another release, a bug or
 * a person with redis-cli may have written it.
 */
const envelopeSchema = z.object({ v: z.string(), d: z.unknown() });

/** The stored text, or undefined when the value has no JSON form (a bigint, a cycle). */
export function encode(version: CacheVersion, value: unknown): string | undefined {
  try {
    return JSON.stringify({ v: formatVersion(version), d: value });
  } catch {
    return undefined;
  }
}

/** The version and value in `text`, or undefined when it is not JSON, not an entry, or not a T. */
export function decode<T>(
  text: string,
  schema: z.ZodType<T>,
): { version: CacheVersion; value: T } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return undefined;
  const version = parseVersion(envelope.data.v);
  const value = schema.safeParse(envelope.data.d);
  return version && value.success ? { version, value: value.data } : undefined;
}

/** The `$n` values of a shape request, read from its query string. */
import { clip, invalid } from './errors.ts';

const bracketKey = /^params\[(.*)\]$/s;

/**
 * The `$n` values of a shape request: `params[1]=…&params[2]=…` as the Electric client sends
 * them, or `params={"1":"…"}` as one JSON object. Keys must be positive integers, values strings.
 */
export function parseParams(query: Record<string, unknown>): Map<number, string> {
  const params = new Map<number, string>();
  const add = (key: string, value: unknown, label: string): void => {
    if (!/^[1-9][0-9]{0,5}$/.test(key)) {
      throw invalid(`params: ${label} is not a parameter number (a positive integer like 1)`);
    }
    if (Array.isArray(value)) throw invalid(`params: ${label} is given more than once`);
    if (typeof value !== 'string') throw invalid(`params: ${label} must be a string`);
    const index = Number(key);
    if (params.has(index)) throw invalid(`params: $${index} is given more than once`);
    params.set(index, value);
  };

  for (const [key, value] of Object.entries(query)) {
    if (key === 'params') {
      for (const [inner, innerValue] of Object.entries(paramsObject(value))) {
        add(inner, innerValue, `key "${clip(inner)}" of params`);
      }
      continue;
    }
    const bracket = bracketKey.exec(key);
    if (bracket !== null) add(bracket[1] as string, value, `"${clip(key)}"`);
  }
  return params;
}

/** `params` as a JSON object string, or an object a query-string parser already built. */
function paramsObject(value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      throw invalid('params: not a JSON object like {"1":"value"}');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('params: not a JSON object like {"1":"value"}');
  }
  return parsed as Record<string, unknown>;
}

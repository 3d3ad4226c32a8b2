import { describe, expect, it } from 'vitest';
import { AccessTokens, bearerOf } from './access-tokens.ts';

/** A token source whose refreshes finish when the test says so. */
function source() {
  let generation = 1;
  const refreshes: ((fail?: Error) => void)[] = [];
  return {
    refreshes,
    get: ({ refresh }: { refresh: boolean }): Promise<string> => {
      if (!refresh) return Promise.resolve(`token-${generation}`);
      return new Promise((resolve, reject) => {
        refreshes.push((fail) => {
          if (fail) reject(fail);
          else resolve(`token-${(generation += 1)}`);
        });
      });
    },
  };
}

describe('AccessTokens', () => {
  it('runs one refresh for many streams that found the token expired, and they all wait for it', async () => {
    const tokenSource = source();
    const tokens = new AccessTokens(tokenSource.get);
    expect(await tokens.current()).toBe('token-1');
    tokens.expired('token-1');
    tokens.expired('token-1');
    const waiting = [tokens.current(), tokens.current()];
    tokens.expired('token-1');
    expect(tokenSource.refreshes).toHaveLength(1);
    tokenSource.refreshes[0]?.();
    expect(await Promise.all(waiting)).toEqual(['token-2', 'token-2']);
    // A stream reporting the old token after the refresh does not start another.
    tokens.expired('token-1');
    expect(tokenSource.refreshes).toHaveLength(1);
    expect(await tokens.current()).toBe('token-2');
    tokens.expired('token-2');
    expect(tokenSource.refreshes).toHaveLength(2);
  });

  it('lets the waiting requests see a failed refresh, and tries again at the next expiry', async () => {
    const tokenSource = source();
    const tokens = new AccessTokens(tokenSource.get);
    await tokens.current();
    tokens.expired('token-1');
    const waiting = tokens.current();
    tokenSource.refreshes[0]?.(new Error('refresh refused'));
    await expect(waiting).rejects.toThrow('refresh refused');
    expect(await tokens.current()).toBe('token-1');
    tokens.expired('token-1');
    expect(tokenSource.refreshes).toHaveLength(2);
  });

  it('reads the bearer token a request carries', () => {
    expect(bearerOf({ headers: { Authorization: 'Bearer abc.def' } })).toBe('abc.def');
    expect(bearerOf({ headers: new Headers({ authorization: 'Bearer x' }) })).toBe('x');
    expect(bearerOf({})).toBeUndefined();
    expect(bearerOf(undefined)).toBeUndefined();
  });
});

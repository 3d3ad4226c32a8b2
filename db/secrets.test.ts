import { describe, expect, it } from 'vitest';
import {
  generateKeySpec,
  isSealed,
  needsRotation,
  openSecret,
  parseKeyring,
  rotateSecret,
  sealSecret,
} from './secrets.ts';

const context = 'users.ghl_access_token:6f1c0a9e-0000-4000-8000-000000000001';
const token = 'ghl-oauth-access-token-é✓';

describe('sealed integration secrets', () => {
  it('round-trips, and the stored form carries the key id but not the plaintext', () => {
    const keyring = parseKeyring(generateKeySpec('k2026'));
    const sealed = sealSecret(keyring, token, context);
    expect(sealed).toMatch(/^enc:v1:k2026:[\w-]+:[\w-]+:[\w-]+$/);
    expect(sealed).not.toContain('ghl-oauth');
    expect(isSealed(sealed)).toBe(true);
    expect(openSecret(keyring, sealed, context)).toBe(token);
    // A fresh IV each time: sealing twice never gives the same text.
    expect(sealSecret(keyring, token, context)).not.toBe(sealed);
  });

  it('fails loudly with the wrong key, without revealing either key', () => {
    const right = parseKeyring(generateKeySpec('k1'));
    const wrongSpec = generateKeySpec('k1');
    const wrong = parseKeyring(wrongSpec);
    const sealed = sealSecret(right, token, context);
    let failure: unknown;
    try {
      openSecret(wrong, sealed, context);
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code: 'SECRET_UNREADABLE' });
    expect(String((failure as Error).message)).not.toContain(wrongSpec.slice(3));
  });

  it('refuses a value that was altered, or moved to another column or business', () => {
    const keyring = parseKeyring(generateKeySpec('k1'));
    const sealed = sealSecret(keyring, token, context);
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${sealed.slice(0, -2)}${last}${sealed.slice(-1)}`;
    expect(() => openSecret(keyring, tampered, context)).toThrow(/does not open/);
    expect(() => openSecret(keyring, sealed, 'users.ghl_refresh_token:other')).toThrow(
      expect.objectContaining({ code: 'SECRET_UNREADABLE' }),
    );
    expect(() => openSecret(keyring, 'plain-text-token', context)).toThrow(
      expect.objectContaining({ code: 'SECRET_UNREADABLE' }),
    );
  });

  it('rotates: old values open after a new key becomes active, and reseal under it', () => {
    const oldSpec = generateKeySpec('k2025');
    const before = parseKeyring(oldSpec);
    const sealedOld = sealSecret(before, token, context);
    const after = parseKeyring(`${generateKeySpec('k2026')},${oldSpec}`);
    expect(after.activeKeyId).toBe('k2026');
    expect(openSecret(after, sealedOld, context)).toBe(token);
    expect(needsRotation(after, sealedOld)).toBe(true);
    const resealed = rotateSecret(after, sealedOld, context);
    expect(resealed.startsWith('enc:v1:k2026:')).toBe(true);
    expect(needsRotation(after, resealed)).toBe(false);
    // Once the old key is retired, values it sealed are named as such, not silently lost.
    const retired = parseKeyring(generateKeySpec('k2027'));
    expect(() => openSecret(retired, sealedOld, context)).toThrow(
      expect.objectContaining({ code: 'SECRET_KEY_MISSING' }),
    );
  });

  it('rejects malformed key configuration with a message naming the problem', () => {
    expect(() => parseKeyring('k1:c2hvcnQ=')).toThrow(/32/);
    expect(() => parseKeyring('')).toThrow(expect.objectContaining({ code: 'SECRET_KEY_MISSING' }));
    expect(() => parseKeyring('bad id:AAAA')).toThrow(
      expect.objectContaining({ code: 'SECRET_KEY_INVALID' }),
    );
    expect(() => parseKeyring(generateKeySpec('k1'), 'k9')).toThrow(/k9/);
  });
});

import { createHash, hkdfSync } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateKeySpec, parseKeyring } from '../../db/secrets.ts';
import {
  type AccessTokenClaims,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  hashOpaqueToken,
  newOpaqueToken,
  signAccessToken,
  verifyAccessToken,
} from './tokens.ts';

const claims: AccessTokenClaims = {
  memberId: '6f1c7a52-1f7e-4a38-9d59-6a3f0f8f1a01',
  tenantId: '2b8e3d1c-7a0f-4c55-8e2a-0d9b6c4f3e02',
  role: 'dispatcher',
  sessionId: '9d4e6f2a-3b1c-4d8e-a7f0-5c2b1e0d9f03',
};
const keyring = parseKeyring(generateKeySpec('k1'));
const ttl = { ttlSeconds: 900 };

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  it('round-trips the claims, names the signing key in kid and expires after the TTL', async () => {
    const now = new Date('2026-03-15T12:00:00Z');
    const { token, expiresAt } = await signAccessToken(keyring, claims, { ttlSeconds: 900, now });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' });
    expect(expiresAt.toISOString()).toBe('2026-03-15T12:15:00.000Z');
    expect(await verifyAccessToken(keyring, token, { now })).toEqual(claims);
    const payload: unknown = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload).toMatchObject({
      sub: claims.memberId,
      tid: claims.tenantId,
      role: 'dispatcher',
      sid: claims.sessionId,
      iss: ACCESS_TOKEN_ISSUER,
      aud: ACCESS_TOKEN_AUDIENCE,
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 900,
    });
  });

  it('signs with a key derived by HKDF, never with the sealing key itself', async () => {
    const { token } = await signAccessToken(keyring, claims, ttl);
    const raw = keyring.keys.get('k1') as Buffer;
    await expect(jwtVerify(token, new Uint8Array(raw))).rejects.toThrow();
    const derived = new Uint8Array(
      hkdfSync('sha256', raw, Buffer.alloc(0), 'fieldline access token v1', 32),
    );
    await expect(jwtVerify(token, derived)).resolves.toBeDefined();
  });

  it('keeps tokens of the previous key valid after a rotation, and signs new ones with the new key', async () => {
    const old = await signAccessToken(keyring, claims, ttl);
    const k1 = keyring.keys.get('k1') as Buffer;
    const rotated = parseKeyring(`${generateKeySpec('k2')},k1:${k1.toString('base64')}`);
    expect(await verifyAccessToken(rotated, old.token)).toEqual(claims);
    const fresh = await signAccessToken(rotated, claims, ttl);
    expect(decodeProtectedHeader(fresh.token).kid).toBe('k2');
    // Once k1 is dropped from the keyring, its tokens stop working.
    const withoutK1 = parseKeyring(generateKeySpec('k2'));
    expect(await failure(verifyAccessToken(withoutK1, old.token))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/unknown key/) as unknown,
    });
  });

  it('answers an expired genuine token with TOKEN_EXPIRED', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    const { token } = await signAccessToken(keyring, claims, { ttlSeconds: 30, now: hourAgo });
    expect(await failure(verifyAccessToken(keyring, token))).toMatchObject({
      code: 'TOKEN_EXPIRED',
    });
  });

  it('refuses a token signed with another key of the same id, even an expired one, as UNAUTHENTICATED', async () => {
    const impostor = parseKeyring(generateKeySpec('k1'));
    const forged = await signAccessToken(impostor, claims, ttl);
    expect(await failure(verifyAccessToken(keyring, forged.token))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    // The signature is checked first: a forger never learns "expired".
    const stale = await signAccessToken(impostor, claims, {
      ttlSeconds: 30,
      now: new Date(Date.now() - 3_600_000),
    });
    expect(await failure(verifyAccessToken(keyring, stale.token))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses alg none and any algorithm but HS256, even keyed right', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: claims.memberId,
      tid: claims.tenantId,
      role: claims.role,
      sid: claims.sessionId,
      iss: ACCESS_TOKEN_ISSUER,
      aud: ACCESS_TOKEN_AUDIENCE,
      iat: now,
      exp: now + 900,
    };
    const unsigned = `${b64({ alg: 'none', kid: 'k1', typ: 'at+jwt' })}.${b64(payload)}.`;
    expect(await failure(verifyAccessToken(keyring, unsigned))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/algorithm "none"/) as unknown,
    });
    const derived = new Uint8Array(
      hkdfSync(
        'sha256',
        keyring.keys.get('k1') as Buffer,
        Buffer.alloc(0),
        'fieldline access token v1',
        64,
      ),
    );
    const hs512 = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS512', kid: 'k1', typ: 'at+jwt' })
      .sign(derived);
    expect(await failure(verifyAccessToken(keyring, hs512))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses malformed tokens, other token types and tokens without the session claims', async () => {
    for (const garbage of ['', 'abc', 'a.b.c', `${b64({ alg: 'HS256' })}.x.y`]) {
      expect(await failure(verifyAccessToken(keyring, garbage))).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    const key = new Uint8Array(
      hkdfSync(
        'sha256',
        keyring.keys.get('k1') as Buffer,
        Buffer.alloc(0),
        'fieldline access token v1',
        32,
      ),
    );
    const sign = (payload: Record<string, unknown>, typ = 'at+jwt') =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ })
        .setSubject(claims.memberId)
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(key);
    const complete = { tid: claims.tenantId, role: claims.role, sid: claims.sessionId };
    expect(await verifyAccessToken(keyring, await sign(complete))).toEqual(claims);
    expect(await failure(verifyAccessToken(keyring, await sign(complete, 'JWT')))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(
      await failure(verifyAccessToken(keyring, await sign({ ...complete, sid: undefined }))),
    ).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/claims/) as unknown,
    });
    expect(
      await failure(verifyAccessToken(keyring, await sign({ ...complete, role: 'admin' }))),
    ).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('opaque tokens', () => {
  it('are 32 random bytes in base64url, stored only as their SHA-256 hex', () => {
    const { token, hash } = newOpaqueToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashOpaqueToken(token)).toBe(hash);
    expect(newOpaqueToken().token).not.toBe(token);
  });
});

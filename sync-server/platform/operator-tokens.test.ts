import { hkdfSync } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateKeySpec, parseKeyring } from '../../db/secrets.ts';
import {
  type AccessTokenClaims,
  ACCESS_TOKEN_ISSUER,
  OPERATOR_TOKEN_AUDIENCE,
  signAccessToken,
  signOperatorToken,
  verifyAccessToken,
  verifyOperatorToken,
} from '../auth/tokens.ts';

const keyring = parseKeyring(generateKeySpec('k1'));
const operatorId = '0e6b6d3a-5c2f-4f1e-9a7b-3d8c2e1f0a04';
const member: AccessTokenClaims = {
  memberId: '6f1c7a52-1f7e-4a38-9d59-6a3f0f8f1a01',
  tenantId: '2b8e3d1c-7a0f-4c55-8e2a-0d9b6c4f3e02',
  role: 'owner',
  sessionId: '9d4e6f2a-3b1c-4d8e-a7f0-5c2b1e0d9f03',
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

const payloadOf = (token: string): unknown =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());

describe('operator tokens', () => {
  it('name the operator, are marked as an operator’s, and live 15 minutes by default', async () => {
    const now = new Date('2026-03-15T12:00:00Z');
    const { token, expiresAt } = await signOperatorToken(keyring, { operatorId }, { now });
    expect(expiresAt.toISOString()).toBe('2026-03-15T12:15:00.000Z');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' });
    expect(payloadOf(token)).toEqual({
      sub: operatorId,
      kind: 'operator',
      iss: ACCESS_TOKEN_ISSUER,
      aud: OPERATOR_TOKEN_AUDIENCE,
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 900,
    });
    expect(await verifyOperatorToken(keyring, token, { now })).toEqual({ operatorId });
  });

  it('never verify as a member access token, and a member access token never verifies as one', async () => {
    const operator = await signOperatorToken(keyring, { operatorId });
    expect(await failure(verifyAccessToken(keyring, operator.token))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'The access token is not valid.',
    });
    const access = await signAccessToken(keyring, member, { ttlSeconds: 900 });
    expect(await failure(verifyOperatorToken(keyring, access.token))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'The operator token is not valid.',
    });
    // Both still verify as what they are.
    expect(await verifyAccessToken(keyring, access.token)).toEqual(member);
    expect(await verifyOperatorToken(keyring, operator.token)).toEqual({ operatorId });
  });

  it('answer an expired genuine token with TOKEN_EXPIRED, a forged one with UNAUTHENTICATED', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    const stale = await signOperatorToken(keyring, { operatorId }, { now: hourAgo });
    expect(await failure(verifyOperatorToken(keyring, stale.token))).toMatchObject({
      code: 'TOKEN_EXPIRED',
      message: 'The operator token has expired: sign in again.',
    });
    const impostor = parseKeyring(generateKeySpec('k1'));
    const forged = await signOperatorToken(impostor, { operatorId }, { now: hourAgo });
    expect(await failure(verifyOperatorToken(keyring, forged.token))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('keep working across a key rotation until the old key leaves the keyring', async () => {
    const old = await signOperatorToken(keyring, { operatorId });
    const k1 = keyring.keys.get('k1') as Buffer;
    const rotated = parseKeyring(`${generateKeySpec('k2')},k1:${k1.toString('base64')}`);
    expect(await verifyOperatorToken(rotated, old.token)).toEqual({ operatorId });
    expect(
      decodeProtectedHeader((await signOperatorToken(rotated, { operatorId })).token).kid,
    ).toBe('k2');
    expect(
      await failure(verifyOperatorToken(parseKeyring(generateKeySpec('k2')), old.token)),
    ).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/unknown key/) as unknown,
    });
  });

  it('are refused without the operator mark, even signed with the operator key', async () => {
    const key = new Uint8Array(
      hkdfSync(
        'sha256',
        keyring.keys.get('k1') as Buffer,
        Buffer.alloc(0),
        'fieldline platform operator token v1',
        32,
      ),
    );
    const sign = (payload: Record<string, unknown>) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
        .setSubject(operatorId)
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(OPERATOR_TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(key);
    expect(await verifyOperatorToken(keyring, await sign({ kind: 'operator' }))).toEqual({
      operatorId,
    });
    for (const payload of [{}, { kind: 'member' }]) {
      expect(await failure(verifyOperatorToken(keyring, await sign(payload)))).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'The operator token lacks the claims of a platform operator.',
      });
    }
  });
});

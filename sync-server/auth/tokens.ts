import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { memberRoles, type MemberRole } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import type { Keyring } from '../../db/secrets.ts';

/**
 * Access tokens: short-lived HS256 JWTs naming a member, their business, role and session. The
 * HMAC key is derived from the secrets keyring, so there is no second secret to configure or rotate:
 * a token is signed with the active key and verified with the key its `kid` header names, so adding
 * a new active key to SECRETS_KEYS keeps tokens issued under the old one valid until they expire.
 */

export const ACCESS_TOKEN_ISSUER = 'fieldline-sync-server';
export const ACCESS_TOKEN_AUDIENCE = 'fieldline-desktop';
/** RFC 9068's type for access tokens: a JWT minted for another purpose is not accepted as one. */
const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALGORITHM = 'HS256';
/** Separates this use of a keyring key from its other use (sealing integration tokens). */
const HKDF_INFO = 'fieldline access token v1';
/** Server instances' clocks disagree by a little; a token is not refused for that. */
const CLOCK_TOLERANCE_SECONDS = 5;

export interface AccessTokenClaims {
  memberId: string;
  tenantId: string;
  role: MemberRole;
  sessionId: string;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: Date;
}

const derivedKeys = new WeakMap<Keyring, Map<string, Uint8Array>>();

/** The HMAC key for `keyId`: HKDF-SHA256 of the keyring key (uniformly random, so no salt). */
function signingKey(keyring: Keyring, keyId: string): Uint8Array | undefined {
  let keys = derivedKeys.get(keyring);
  if (!keys) {
    keys = new Map();
    derivedKeys.set(keyring, keys);
  }
  const cached = keys.get(keyId);
  if (cached) return cached;
  const material = keyring.keys.get(keyId);
  if (!material) return undefined;
  const key = new Uint8Array(hkdfSync('sha256', material, Buffer.alloc(0), HKDF_INFO, 32));
  keys.set(keyId, key);
  return key;
}

export async function signAccessToken(
  keyring: Keyring,
  claims: AccessTokenClaims,
  options: { ttlSeconds: number; now?: Date },
): Promise<SignedAccessToken> {
  const key = signingKey(keyring, keyring.activeKeyId);
  if (!key) {
    throw new AppError('SECRET_KEY_MISSING', `No key "${keyring.activeKeyId}" in the keyring.`);
  }
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expiresAt = issuedAt + options.ttlSeconds;
  const token = await new SignJWT({
    tid: claims.tenantId,
    role: claims.role,
    sid: claims.sessionId,
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: keyring.activeKeyId, typ: ACCESS_TOKEN_TYPE })
    .setSubject(claims.memberId)
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

const payloadSchema = z.object({
  sub: z.uuid(),
  tid: z.uuid(),
  role: z.enum(memberRoles),
  sid: z.uuid(),
});

const unauthenticated = (message: string, cause?: unknown) =>
  new AppError('UNAUTHENTICATED', message, cause === undefined ? undefined : { cause });

/**
 * Verifies signature, algorithm, type, issuer, audience and lifetime. An expired but genuine token
 * is TOKEN_EXPIRED (the client refreshes); anything else is UNAUTHENTICATED. The signature is
 * checked before the expiry, so a forged token never earns the friendlier code.
 */
export async function verifyAccessToken(
  keyring: Keyring,
  token: string,
  options: { now?: Date } = {},
): Promise<AccessTokenClaims> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw unauthenticated('The access token is malformed: it is not a JWT.', error);
  }
  // jose would refuse these too; checking first names the problem instead of a generic failure.
  if (header.alg !== ALGORITHM) {
    throw unauthenticated(`The access token's algorithm "${String(header.alg)}" is not accepted.`);
  }
  const key = typeof header.kid === 'string' ? signingKey(keyring, header.kid) : undefined;
  if (!key) throw unauthenticated('The access token was signed with an unknown key.');

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(options.now ? { currentDate: options.now } : {}),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw new AppError('TOKEN_EXPIRED', 'The access token has expired: refresh it.', {
        cause: error,
      });
    }
    throw unauthenticated('The access token is not valid.', error);
  }
  const claims = payloadSchema.safeParse(payload);
  if (!claims.success) throw unauthenticated('The access token lacks the claims of a session.');
  const { sub, tid, role, sid } = claims.data;
  return { memberId: sub, tenantId: tid, role, sessionId: sid };
}

/**
 * A bearer secret handed out once (refresh tokens, invitation tokens): 256 random bits. Only its
 * SHA-256 is stored, so a copy of the database cannot be replayed; a fast hash is enough for a
 * value this random (no dictionary to try).
 */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export const hashOpaqueToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

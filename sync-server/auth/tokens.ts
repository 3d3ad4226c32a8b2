import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import {
  type JWTPayload,
  SignJWT,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { z } from 'zod';
import { memberRoles, type MemberRole } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import type { Keyring } from '../../db/secrets.ts';

/**
 * Bearer tokens: short-lived HS256 JWTs. Two kinds: members' access tokens (a member, their
 * business, role and session) and platform operators' tokens. The HMAC key is derived from the
 * secrets keyring, so there is no second secret to configure or rotate:
 * a token is signed with the active key and verified with the key its `kid` header names, so adding
 * a new active key to SECRETS_KEYS keeps tokens issued under the old one valid until they expire.
 */

export const ACCESS_TOKEN_ISSUER = 'fieldline-sync-server';
export const ACCESS_TOKEN_AUDIENCE = 'fieldline-desktop';
/** Platform operators' tokens (sync-server/platform/): another audience, key and set of claims. */
export const OPERATOR_TOKEN_AUDIENCE = 'fieldline-platform';
/** An operator token lives 15 minutes; there is no refresh token: the operator signs in again. */
export const OPERATOR_TOKEN_TTL_SECONDS = 900;
/** RFC 9068's type for access tokens: a JWT minted for another purpose is not accepted as one. */
const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALGORITHM = 'HS256';
/** Server instances' clocks disagree by a little; a token is not refused for that. */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * One kind of bearer token. Each kind has its own audience and its own HMAC key (its own HKDF info
 * string), and its verifier insists on its own claims, so a token of one kind never verifies as
 * another: the signature already fails, before the audience or the claims are looked at.
 */
interface TokenKind {
  audience: string;
  /** Separates this use of a keyring key from its other uses (sealing integration tokens). */
  hkdfInfo: string;
  /** How messages name it. */
  name: string;
  expired: string;
}

const memberTokens: TokenKind = {
  audience: ACCESS_TOKEN_AUDIENCE,
  hkdfInfo: 'fieldline access token v1',
  name: 'access token',
  expired: 'The access token has expired: refresh it.',
};

const operatorTokens: TokenKind = {
  audience: OPERATOR_TOKEN_AUDIENCE,
  hkdfInfo: 'fieldline platform operator token v1',
  name: 'operator token',
  expired: 'The operator token has expired: sign in again.',
};

export interface AccessTokenClaims {
  memberId: string;
  tenantId: string;
  role: MemberRole;
  sessionId: string;
}

export interface OperatorTokenClaims {
  operatorId: string;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: Date;
}

interface SignOptions {
  ttlSeconds: number;
  now?: Date;
}

/** HKDF info → key id → HMAC key, per keyring. */
const derivedKeys = new WeakMap<Keyring, Map<string, Map<string, Uint8Array>>>();

/** The HMAC key of `kind` for `keyId`: HKDF-SHA256 of the keyring key (uniformly random, so no salt). */
function signingKey(keyring: Keyring, kind: TokenKind, keyId: string): Uint8Array | undefined {
  let byInfo = derivedKeys.get(keyring);
  if (!byInfo) {
    byInfo = new Map();
    derivedKeys.set(keyring, byInfo);
  }
  let keys = byInfo.get(kind.hkdfInfo);
  if (!keys) {
    keys = new Map();
    byInfo.set(kind.hkdfInfo, keys);
  }
  const cached = keys.get(keyId);
  if (cached) return cached;
  const material = keyring.keys.get(keyId);
  if (!material) return undefined;
  const key = new Uint8Array(hkdfSync('sha256', material, Buffer.alloc(0), kind.hkdfInfo, 32));
  keys.set(keyId, key);
  return key;
}

/** The one signing path: `claims` plus subject, issuer, the kind's audience, issue and expiry. */
async function signToken(
  keyring: Keyring,
  kind: TokenKind,
  subject: string,
  claims: JWTPayload,
  options: SignOptions,
): Promise<SignedAccessToken> {
  const key = signingKey(keyring, kind, keyring.activeKeyId);
  if (!key) {
    throw new AppError('SECRET_KEY_MISSING', `No key "${keyring.activeKeyId}" in the keyring.`);
  }
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expiresAt = issuedAt + options.ttlSeconds;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, kid: keyring.activeKeyId, typ: ACCESS_TOKEN_TYPE })
    .setSubject(subject)
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(kind.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

const unauthenticated = (message: string, cause?: unknown) =>
  new AppError('UNAUTHENTICATED', message, cause === undefined ? undefined : { cause });

/**
 * The one verifying path: signature (with the kind's key), algorithm, type, issuer, the kind's
 * audience and lifetime; the caller parses the claims of its kind from the payload. An expired but
 * genuine token is TOKEN_EXPIRED; anything else is UNAUTHENTICATED. The signature is checked before
 * the expiry, so a forged token never earns the friendlier code.
 */
async function verifyToken(
  keyring: Keyring,
  kind: TokenKind,
  token: string,
  options: { now?: Date },
): Promise<JWTPayload> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw unauthenticated(`The ${kind.name} is malformed: it is not a JWT.`, error);
  }
  // jose would refuse these too; checking first names the problem instead of a generic failure.
  if (header.alg !== ALGORITHM) {
    throw unauthenticated(`The ${kind.name}'s algorithm "${String(header.alg)}" is not accepted.`);
  }
  const key = typeof header.kid === 'string' ? signingKey(keyring, kind, header.kid) : undefined;
  if (!key) throw unauthenticated(`The ${kind.name} was signed with an unknown key.`);

  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: kind.audience,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(options.now ? { currentDate: options.now } : {}),
    });
    return payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw new AppError('TOKEN_EXPIRED', kind.expired, { cause: error });
    }
    throw unauthenticated(`The ${kind.name} is not valid.`, error);
  }
}

/**
 * Access tokens: short-lived JWTs naming a member, their business, role and session (audience
 * `fieldline-desktop`).
 */
export function signAccessToken(
  keyring: Keyring,
  claims: AccessTokenClaims,
  options: SignOptions,
): Promise<SignedAccessToken> {
  return signToken(
    keyring,
    memberTokens,
    claims.memberId,
    { tid: claims.tenantId, role: claims.role, sid: claims.sessionId },
    options,
  );
}

const memberPayloadSchema = z.object({
  sub: z.uuid(),
  tid: z.uuid(),
  role: z.enum(memberRoles),
  sid: z.uuid(),
});

export async function verifyAccessToken(
  keyring: Keyring,
  token: string,
  options: { now?: Date } = {},
): Promise<AccessTokenClaims> {
  const payload = await verifyToken(keyring, memberTokens, token, options);
  const claims = memberPayloadSchema.safeParse(payload);
  if (!claims.success) throw unauthenticated('The access token lacks the claims of a session.');
  const { sub, tid, role, sid } = claims.data;
  return { memberId: sub, tenantId: tid, role, sessionId: sid };
}

/**
 * Operator tokens: a platform operator (`sub`) marked `kind: "operator"`, audience
 * `fieldline-platform`, signed with a key of their own derived from the same keyring. They carry no
 * business, so nothing that reads a tenant from a token can be given one.
 */
export function signOperatorToken(
  keyring: Keyring,
  claims: OperatorTokenClaims,
  options: Partial<SignOptions> = {},
): Promise<SignedAccessToken> {
  return signToken(
    keyring,
    operatorTokens,
    claims.operatorId,
    { kind: 'operator' },
    {
      ttlSeconds: options.ttlSeconds ?? OPERATOR_TOKEN_TTL_SECONDS,
      ...(options.now ? { now: options.now } : {}),
    },
  );
}

const operatorPayloadSchema = z.object({ sub: z.uuid(), kind: z.literal('operator') });

export async function verifyOperatorToken(
  keyring: Keyring,
  token: string,
  options: { now?: Date } = {},
): Promise<OperatorTokenClaims> {
  const payload = await verifyToken(keyring, operatorTokens, token, options);
  const claims = operatorPayloadSchema.safeParse(payload);
  if (!claims.success) {
    throw unauthenticated('The operator token lacks the claims of a platform operator.');
  }
  return { operatorId: claims.data.sub };
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

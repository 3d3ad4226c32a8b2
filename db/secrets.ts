import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from './errors.ts';

/**
 * Integration secrets (GoHighLevel and Google Ads OAuth tokens) are stored sealed with AES-256-GCM:
 *
 *   enc:v1:<keyId>:<iv>:<tag>:<ciphertext>      (iv, tag, ciphertext in base64url)
 *
 * The key id travels with the value so keys can rotate: a new active key seals new values while
 * the old keys stay in the keyring to open what they sealed, until `needsRotation` finds none left.
 * The `context` (e.g. "users.ghl_access_token:<user id>") is authenticated data: a sealed value
 * copied to another column or another business does not open.
 */
export interface Keyring {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

const PREFIX = 'enc:v1:';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `SECRETS_KEYS` ("id:base64key,id2:base64key"); the active key defaults to the first. */
export function parseKeyring(spec: string, activeKeyId?: string): Keyring {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    if (separator < 1 || !KEY_ID.test(id)) {
      throw new AppError(
        'SECRET_KEY_INVALID',
        'SECRETS_KEYS must be a comma-separated list of <keyId>:<base64 32-byte key>, ' +
          'key ids of letters, digits, "_" or "-".',
      );
    }
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== 32) {
      throw new AppError(
        'SECRET_KEY_INVALID',
        `SECRETS_KEYS: key "${id}" is ${key.length} bytes; AES-256 needs 32 (base64 of 32 random bytes).`,
      );
    }
    if (keys.has(id)) throw new AppError('SECRET_KEY_INVALID', `SECRETS_KEYS: key "${id}" twice.`);
    keys.set(id, key);
  }
  const active = activeKeyId ?? keys.keys().next().value;
  if (active === undefined) throw new AppError('SECRET_KEY_MISSING', 'SECRETS_KEYS has no keys.');
  if (!keys.has(active)) {
    throw new AppError(
      'SECRET_KEY_MISSING',
      `The active secrets key "${active}" is not in SECRETS_KEYS.`,
    );
  }
  return { activeKeyId: active, keys };
}

/** A new random key in the form SECRETS_KEYS takes. */
export const generateKeySpec = (id: string): string =>
  `${id}:${randomBytes(32).toString('base64')}`;

export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

export function sealSecret(keyring: Keyring, plaintext: string, context: string): string {
  const key = keyring.keys.get(keyring.activeKeyId);
  if (!key)
    throw new AppError('SECRET_KEY_MISSING', `No key "${keyring.activeKeyId}" in the keyring.`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return `${PREFIX}${keyring.activeKeyId}:${parts.join(':')}`;
}

function parseEnvelope(envelope: string): { keyId: string; iv: Buffer; tag: Buffer; data: Buffer } {
  const parts = envelope.startsWith(PREFIX) ? envelope.slice(PREFIX.length).split(':') : [];
  const [keyId, iv, tag, data] = parts;
  if (parts.length !== 4 || !keyId || !iv || !tag || data === undefined) {
    throw new AppError('SECRET_UNREADABLE', 'The stored secret is not a sealed value (enc:v1:…).');
  }
  return {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    data: Buffer.from(data, 'base64url'),
  };
}

/** Opens a sealed value; a wrong key, a tampered value or a wrong context fails loudly. */
export function openSecret(keyring: Keyring, envelope: string, context: string): string {
  const { keyId, iv, tag, data } = parseEnvelope(envelope);
  const key = keyring.keys.get(keyId);
  if (!key) {
    throw new AppError(
      'SECRET_KEY_MISSING',
      `The secret was sealed with key "${keyId}", which is not in SECRETS_KEYS.`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new AppError(
      'SECRET_UNREADABLE',
      `The secret sealed with key "${keyId}" does not open: wrong key, altered value or ` +
        `sealed for another place than "${context}".`,
      { cause: error },
    );
  }
}

/** True when the value was sealed with a key other than the active one and should be resealed. */
export const needsRotation = (keyring: Keyring, envelope: string): boolean =>
  parseEnvelope(envelope).keyId !== keyring.activeKeyId;

/** Reseals with the active key (a no-op for values already under it). */
export const rotateSecret = (keyring: Keyring, envelope: string, context: string): string =>
  needsRotation(keyring, envelope)
    ? sealSecret(keyring, openSecret(keyring, envelope, context), context)
    : envelope;

import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeySpec, type Keyring, parseKeyring } from '../db/secrets.ts';
import type { Config } from './config.ts';

/**
 * The keyring that seals integration tokens. Production sets SECRETS_KEYS (config refuses to start
 * without it). On a developer's machine a key is generated once into DATA_DIR (mode 0600), next to
 * the embedded database it protects, so `npm start` works with nothing configured.
 */
export function loadKeyring(config: Config, warn: (message: string) => void): Keyring {
  if (config.SECRETS_KEYS) return parseKeyring(config.SECRETS_KEYS, config.SECRETS_ACTIVE_KEY);
  const dataDir = resolve(config.DATA_DIR);
  const file = join(dataDir, 'secrets.keys');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${generateKeySpec('local1')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  warn(
    `SECRETS_KEYS is not set: using the development key in ${file}. Set SECRETS_KEYS in production.`,
  );
  return parseKeyring(readFileSync(file, 'utf8').trim(), config.SECRETS_ACTIVE_KEY);
}

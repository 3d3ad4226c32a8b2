import { randomBytes } from 'node:crypto';
import { promises as nodeFs } from 'node:fs';
import path from 'node:path';
import type { Log } from './log.ts';

/**
 * Where main keeps the core's session (it holds a refresh token): encrypted by Electron's
 * safeStorage (the OS keychain: Keychain, DPAPI, libsecret/kwallet) in a 0600 file under userData.
 * When safeStorage cannot encrypt — no keyring on Linux, or only its "basic_text" fallback, which
 * obfuscates with a fixed key — the session is kept in memory only: the person signs in again after
 * a restart rather than have a secret sit on disk in the clear. The session is opaque here (the
 * core validates it); it is never logged.
 */

/** The parts of Electron's safeStorage used (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?: () => string;
}

export interface SessionStore {
  load(): Promise<unknown>;
  save(session: unknown): Promise<void>;
  clear(): Promise<void>;
  /** Whether sessions survive a restart (false: memory only). */
  readonly persistent: boolean;
}

type Fs = Pick<typeof nodeFs, 'readFile' | 'writeFile' | 'rename' | 'rm' | 'chmod' | 'mkdir'>;

/** Linux backends that are not a real keyring (Electron's docs: "basic_text" is a fixed key). */
const insecureBackends = new Set(['basic_text', 'unknown']);

export function createSessionStore(options: {
  safeStorage: SafeStorageLike;
  file: string;
  log: Log;
  fs?: Fs;
}): SessionStore {
  const fs = options.fs ?? nodeFs;
  const { safeStorage, file, log } = options;
  const backend = safeStorage.getSelectedStorageBackend?.();
  const persistent =
    safeStorage.isEncryptionAvailable() &&
    !(backend !== undefined && insecureBackends.has(backend));
  let inMemory: unknown = null;
  let warned = false;

  const warnOnce = () => {
    if (warned) return;
    warned = true;
    log.warn(
      backend !== undefined && insecureBackends.has(backend)
        ? `no OS keyring (safeStorage backend "${backend}"): the session is kept in memory only and sign-in is asked again after a restart`
        : 'safeStorage cannot encrypt on this system: the session is kept in memory only and sign-in is asked again after a restart',
    );
  };

  const removeFile = () => fs.rm(file, { force: true });

  return {
    persistent,
    async load() {
      if (!persistent) {
        warnOnce();
        return inMemory;
      }
      let encrypted: Buffer;
      try {
        encrypted = await fs.readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      try {
        return JSON.parse(safeStorage.decryptString(encrypted)) as unknown;
      } catch {
        // Another OS user's, or the keychain entry is gone: unreadable, so start signed out.
        log.warn('the stored session could not be decrypted; it is discarded');
        await removeFile();
        return null;
      }
    },
    async save(session) {
      if (!persistent) {
        warnOnce();
        inMemory = session;
        return;
      }
      const encrypted = safeStorage.encryptString(JSON.stringify(session));
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // Write aside, then rename: a crash leaves the old session or the new one, never half of one.
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await fs.writeFile(temporary, encrypted, { mode: 0o600, flag: 'wx' });
        await fs.chmod(temporary, 0o600); // the umask cannot widen it, but be explicit
        await fs.rename(temporary, file);
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
    },
    async clear() {
      inMemory = null;
      if (persistent) await removeFile();
    },
  };
}

import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSessionStore, type SafeStorageLike } from './session-store.ts';

const TOKEN = 'rt_super-secret-refresh-token-1234567890';
const session = {
  serverUrl: 'https://sync.fieldline.app',
  refreshToken: TOKEN,
  member: { id: 'm1', email: 'dispatch@acme.example', name: 'Dee', role: 'owner' },
  business: { id: 'b1', name: 'Acme Plumbing', status: 'active', primaryPhone: '+15551234567' },
};

/** A keychain stand-in: XOR with a key plus a header, so the file never holds the plain text. */
function keychain(options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const key = 0x5a;
  const store: SafeStorageLike = {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (text) =>
      Buffer.concat([
        Buffer.from('v10'),
        Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ key)),
      ]),
    decryptString: (data) => {
      if (data.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting');
      return Buffer.from(data.subarray(3).map((b) => b ^ key)).toString('utf8');
    },
  };
  if (options.backend) store.getSelectedStorageBackend = () => options.backend!;
  return store;
}

let dir: string;
let file: string;
const log = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fl-vault-'));
  file = path.join(dir, 'userData', 'session.bin');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the session store, with safeStorage', () => {
  it('keeps the session encrypted in a 0600 file and reads it back', async () => {
    const store = createSessionStore({ safeStorage: keychain(), file, log: log() });
    expect(store.persistent).toBe(true);
    expect(await store.load()).toBeNull();
    await store.save(session);
    const bytes = await readFile(file);
    expect(bytes.toString('utf8')).not.toContain(TOKEN);
    expect(bytes.toString('latin1')).not.toContain(TOKEN);
    expect(bytes.toString('utf8')).not.toContain('dispatch@acme.example');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    // A new process (a new store) reads it back.
    const again = createSessionStore({ safeStorage: keychain(), file, log: log() });
    expect(await again.load()).toEqual(session);
  });

  it('replaces the file atomically, leaving no temporary files behind', async () => {
    const store = createSessionStore({ safeStorage: keychain(), file, log: log() });
    await store.save(session);
    await store.save({ ...session, refreshToken: 'rt_next' });
    expect(await readdir(path.dirname(file))).toEqual(['session.bin']);
    expect(await store.load()).toMatchObject({ refreshToken: 'rt_next' });
  });

  it('forgets the session on clear', async () => {
    const store = createSessionStore({ safeStorage: keychain(), file, log: log() });
    await store.save(session);
    await store.clear();
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.load()).toBeNull();
    await store.clear(); // twice is fine
  });

  it('discards a file it cannot decrypt (another user’s, a lost keychain entry)', async () => {
    const logger = log();
    const store = createSessionStore({ safeStorage: keychain(), file, log: logger });
    await store.save(session);
    await writeFile(file, 'garbage');
    expect(await store.load()).toBeNull();
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(logger.warn).toHaveBeenCalledOnce();
  });

  it('never logs the session', async () => {
    const logger = log();
    const store = createSessionStore({ safeStorage: keychain(), file, log: logger });
    await store.save(session);
    await writeFile(file, 'garbage');
    await store.load();
    expect(
      JSON.stringify([logger.info.mock.calls, logger.warn.mock.calls, logger.error.mock.calls]),
    ).not.toContain(TOKEN);
  });
});

describe('the session store, without safeStorage', () => {
  it.each([
    ['encryption unavailable', { available: false }],
    ['the basic_text fallback on Linux', { available: true, backend: 'basic_text' }],
  ])('keeps the session in memory only: %s', async (_case, options) => {
    const logger = log();
    const safeStorage = keychain(options);
    const encrypt = vi.spyOn(safeStorage, 'encryptString');
    const store = createSessionStore({ safeStorage, file, log: logger });
    expect(store.persistent).toBe(false);
    await store.save(session);
    expect(await store.load()).toEqual(session);
    await expect(readdir(dir)).resolves.toEqual([]); // nothing written, not even the folder
    expect(encrypt).not.toHaveBeenCalled();
    await store.save(session);
    await store.clear();
    expect(await store.load()).toBeNull();
    // Says why, once, and never the token.
    expect(logger.warn).toHaveBeenCalledOnce();
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain(TOKEN);
  });

  it('trusts a real keyring backend on Linux', () => {
    const store = createSessionStore({
      safeStorage: keychain({ backend: 'gnome_libsecret' }),
      file,
      log: log(),
    });
    expect(store.persistent).toBe(true);
  });
});

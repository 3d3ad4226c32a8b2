import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deviceId, readConfig } from './config.ts';
import { iconPng } from './icon.ts';

const paths = (isPackaged: boolean) => ({
  userData: '/home/dee/.config/Fieldline',
  isPackaged,
  join: (...parts: string[]) => path.join(...parts),
});

describe('desktop configuration', () => {
  it('defaults to a local server and a data folder under userData', () => {
    expect(readConfig({}, paths(true))).toEqual({
      serverUrl: 'http://127.0.0.1:8787',
      dataDir: path.join('/home/dee/.config/Fieldline', 'data'),
      devServerUrl: undefined,
    });
  });

  it('takes the server and data folder from the environment; the dev server only unpackaged', () => {
    const env = {
      FIELDLINE_SERVER_URL: 'https://sync.fieldline.app',
      FIELDLINE_DATA_DIR: '/data/fl',
      ELECTRON_RENDERER_URL: 'http://localhost:5173',
    };
    expect(readConfig(env, paths(false))).toEqual({
      serverUrl: 'https://sync.fieldline.app',
      dataDir: '/data/fl',
      devServerUrl: 'http://localhost:5173',
    });
    expect(readConfig(env, paths(true)).devServerUrl).toBeUndefined();
  });

  it('refuses a server that is not http(s) with a clear start-up error', () => {
    let thrown: unknown;
    try {
      readConfig({ FIELDLINE_SERVER_URL: 'file:///etc' }, paths(true));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((thrown as Error).message).toContain('FIELDLINE_SERVER_URL');
  });

  it('makes a device id once and keeps it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fl-device-'));
    try {
      const file = path.join(dir, 'device-id');
      const first = await deviceId(file);
      expect(first).toMatch(/^[0-9a-f-]{36}$/);
      expect(await deviceId(file)).toBe(first);
      expect((await readFile(file, 'utf8')).trim()).toBe(first);
      if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the generated icon', () => {
  it('is a valid RGBA PNG of the asked size', () => {
    const png = iconPng(32);
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(png.readUInt32BE(16)).toBe(32);
    expect(png.readUInt32BE(20)).toBe(32);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    const pixels = inflateSync(png.subarray(41, 41 + idatLength));
    expect(pixels.length).toBe(32 * (1 + 32 * 4));
  });
});

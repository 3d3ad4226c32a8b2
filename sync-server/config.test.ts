import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_PASSWORD } from '../db/demo/load.ts';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('runs with nothing set: embedded database, default port, demo data on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8787,
      HOST: '127.0.0.1',
      DATA_DIR: './.data',
      DEMO_PASSWORD: DEFAULT_DEMO_PASSWORD,
      seedDemo: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('never seeds demo data into a real database unless asked', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/app';
    expect(loadConfig({ DATABASE_URL: url }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: url, SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ NODE_ENV: 'production' }, 'SECRETS_KEYS'],
    [{ SEED_DEMO: 'maybe' }, 'SEED_DEMO'],
  ])('refuses %j with an error naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => loadConfig(env)).toThrow(new RegExp(variable));
  });
});

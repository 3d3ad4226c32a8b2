import { describe, expect, it, vi } from 'vitest';
import { startAutoUpdates, type UpdaterLike } from './updater.ts';

const log = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe('auto-update', () => {
  it('does nothing in an unpackaged app', () => {
    const load = vi.fn();
    expect(startAutoUpdates({ isPackaged: false, load, log: log() })).toEqual({ started: false });
    expect(load).not.toHaveBeenCalled();
  });

  it('checks at start and on an interval when packaged', async () => {
    const on = vi.fn();
    const check = vi.fn(() => Promise.resolve(null));
    const updater: UpdaterLike = { on, checkForUpdatesAndNotify: check };
    let tick: (() => void) | undefined;
    const setInterval = vi.fn((run: () => void) => {
      tick = run;
      return { unref: vi.fn() };
    });
    startAutoUpdates({
      isPackaged: true,
      load: () => Promise.resolve(updater),
      log: log(),
      setInterval,
    });
    await vi.waitFor(() => expect(check).toHaveBeenCalledOnce());
    tick?.();
    expect(check).toHaveBeenCalledTimes(2);
    expect(on.mock.calls[0]?.[0]).toBe('error');
  });

  it('logs failures and never throws (no feed configured, offline, no updater)', async () => {
    const logger = log();
    const updater: UpdaterLike = {
      on: vi.fn(),
      checkForUpdatesAndNotify: () => Promise.reject(new Error('No published versions')),
    };
    startAutoUpdates({
      isPackaged: true,
      load: () => Promise.resolve(updater),
      log: logger,
      setInterval: () => ({}),
    });
    await vi.waitFor(() =>
      expect(logger.warn).toHaveBeenCalledWith('update check failed: No published versions'),
    );

    const missing = log();
    startAutoUpdates({
      isPackaged: true,
      load: () => Promise.reject(new Error('gone')),
      log: missing,
    });
    await vi.waitFor(() => expect(missing.warn).toHaveBeenCalledWith('updater unavailable: gone'));
  });
});

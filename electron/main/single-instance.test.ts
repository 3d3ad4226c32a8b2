import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance } from './single-instance.ts';

function fakeApp(locked: boolean) {
  const listeners = new Map<string, () => void>();
  return {
    requestSingleInstanceLock: vi.fn(() => locked),
    quit: vi.fn(),
    on: vi.fn((event: string, listener: () => void) => listeners.set(event, listener)),
    fire: (event: string) => listeners.get(event)?.(),
  };
}

describe('single instance', () => {
  it('the first instance runs and comes forward when a second one starts', () => {
    const app = fakeApp(true);
    const focus = vi.fn();
    expect(claimSingleInstance(app, focus)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.fire('second-instance');
    expect(focus).toHaveBeenCalledOnce();
  });

  it('a second instance quits at once', () => {
    const app = fakeApp(false);
    const focus = vi.fn();
    expect(claimSingleInstance(app, focus)).toBe(false);
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.on).not.toHaveBeenCalled();
    expect(focus).not.toHaveBeenCalled();
  });
});

import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from './menu.ts';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? items(item.submenu) : []),
  ]);
}

const click = (item: MenuItemConstructorOptions) =>
  (item.click as unknown as () => void | undefined)?.();

describe('the application menu', () => {
  it('sends the renderer a command for each shortcut', () => {
    const send = vi.fn();
    const all = items(
      menuTemplate({ platform: 'linux', appName: 'Fieldline', development: false, send }),
    );
    const byAccelerator = new Map(all.filter((i) => i.accelerator).map((i) => [i.accelerator, i]));
    const expected = {
      'CmdOrCtrl+1': { type: 'navigate', screen: 'pipeline' },
      'CmdOrCtrl+2': { type: 'navigate', screen: 'inbox' },
      'CmdOrCtrl+3': { type: 'navigate', screen: 'calls' },
      'CmdOrCtrl+4': { type: 'navigate', screen: 'dashboard' },
      'CmdOrCtrl+5': { type: 'navigate', screen: 'campaigns' },
      'CmdOrCtrl+6': { type: 'navigate', screen: 'agents' },
      'CmdOrCtrl+7': { type: 'navigate', screen: 'workflows' },
      'CmdOrCtrl+N': { type: 'new-lead' },
      'CmdOrCtrl+F': { type: 'search' },
      'CmdOrCtrl+/': { type: 'shortcuts' },
    };
    for (const [accelerator, command] of Object.entries(expected)) {
      const item = byAccelerator.get(accelerator);
      expect(item, accelerator).toBeDefined();
      send.mockClear();
      click(item!);
      expect(send).toHaveBeenCalledWith(command);
    }
    expect(byAccelerator.size).toBe(Object.keys(expected).length);
  });

  it('has developer tools only in development, and the macOS app menu only on macOS', () => {
    const roles = (development: boolean, platform: NodeJS.Platform) =>
      items(menuTemplate({ platform, appName: 'Fieldline', development, send: vi.fn() })).map(
        (i) => i.role,
      );
    expect(roles(false, 'linux')).not.toContain('toggleDevTools');
    expect(roles(true, 'linux')).toContain('toggleDevTools');
    expect(roles(false, 'linux')).not.toContain('hideOthers');
    expect(roles(false, 'darwin')).toContain('hideOthers');
    expect(roles(false, 'linux')).toContain('copy');
  });
});

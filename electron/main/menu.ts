import type { MenuItemConstructorOptions } from 'electron';
import { desktopScreens, type DesktopScreen, type ShellCommand } from './process-wire.ts';

/**
 * The application menu. Its accelerators work whatever has focus in the page and send commands
 * to the renderer; the renderer's own single-key shortcuts (j/k, /, n) stay the renderer's.
 */

const screenLabels: Record<DesktopScreen, string> = {
  pipeline: 'Pipeline',
  inbox: 'Inbox',
  calls: 'Calls',
  dashboard: 'Dashboard',
  campaigns: 'Campaigns',
  agents: 'Agents',
  workflows: 'Workflows',
};

export function menuTemplate(options: {
  platform: NodeJS.Platform;
  appName: string;
  /** Developer tools and reload only when not packaged. */
  development: boolean;
  send: (command: ShellCommand) => void;
}): MenuItemConstructorOptions[] {
  const { send } = options;
  const mac = options.platform === 'darwin';
  const command = (label: string, accelerator: string, shell: ShellCommand) => ({
    label,
    accelerator,
    click: () => send(shell),
  });

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: options.appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];

  return [
    ...appMenu,
    {
      label: 'File',
      submenu: [
        command('New Lead', 'CmdOrCtrl+N', { type: 'new-lead' }),
        command('Search', 'CmdOrCtrl+F', { type: 'search' }),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    // The edit roles make copy/paste work in text fields (on macOS only through this menu).
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'Go',
      submenu: desktopScreens.map((screen, index) =>
        command(screenLabels[screen], `CmdOrCtrl+${index + 1}`, { type: 'navigate', screen }),
      ),
    },
    {
      label: 'View',
      submenu: [
        ...(options.development
          ? ([
              { role: 'reload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [command('Keyboard Shortcuts', 'CmdOrCtrl+/', { type: 'shortcuts' })],
    },
  ];
}

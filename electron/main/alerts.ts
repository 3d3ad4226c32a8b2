import type { Alert } from '../../db/wire/desktop-api.ts';
import type { ShellCommand } from './process-wire.ts';

/**
 * Alerts (missed call, new lead, inbound text) as native notifications. A click brings the window
 * forward and opens the lead; an alert without a lead opens the screen it belongs to.
 */

export interface NotificationOptionsLike {
  title: string;
  body: string;
  silent: boolean;
  urgency: 'normal' | 'critical' | 'low';
  timeoutType: 'default' | 'never';
}

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export type NotificationFactory = (options: NotificationOptionsLike) => NotificationLike;

export function notificationFor(alert: Alert): NotificationOptionsLike {
  // A missed call is money walking away (it is texted back, but someone should call): it stays on
  // screen until dismissed, where the platform allows it.
  const missed = alert.kind === 'missed_call';
  return {
    title: alert.title,
    body: alert.body,
    silent: false,
    urgency: missed ? 'critical' : 'normal',
    timeoutType: missed ? 'never' : 'default',
  };
}

export function commandForAlert(alert: Alert): ShellCommand {
  if (alert.leadId !== null) return { type: 'open-lead', leadId: alert.leadId };
  switch (alert.kind) {
    case 'missed_call':
      return { type: 'navigate', screen: 'calls' };
    case 'inbound_text':
      return { type: 'navigate', screen: 'inbox' };
    case 'new_lead':
      return { type: 'navigate', screen: 'pipeline' };
  }
}

export function createAlertNotifier(options: {
  isSupported: () => boolean;
  create: NotificationFactory;
  /** Shows, restores and focuses the main window (creating it if it was closed). */
  focusWindow: () => void;
  send: (command: ShellCommand) => void;
}) {
  // Held until clicked or closed: a notification that is garbage-collected loses its click handler.
  const shown = new Set<NotificationLike>();
  return {
    show(alert: Alert): boolean {
      if (!options.isSupported()) return false;
      const notification = options.create(notificationFor(alert));
      shown.add(notification);
      notification.on('click', () => {
        shown.delete(notification);
        options.focusWindow();
        options.send(commandForAlert(alert));
      });
      notification.on('close', () => shown.delete(notification));
      notification.show();
      return true;
    },
    get showing() {
      return shown.size;
    },
  };
}

/** The parts of the tray and app the badge uses. */
export interface BadgeTargets {
  platform: NodeJS.Platform;
  /** app.setBadgeCount: macOS dock, Linux Unity launchers; returns whether it took. */
  setBadgeCount?: (count: number) => boolean;
  tray: { setToolTip(text: string): void; setTitle?: (title: string) => void } | null;
}

/**
 * Unseen missed calls on the dock/launcher badge where the platform has one, and always in the
 * tray's tooltip (and its title next to the icon in the macOS menu bar).
 */
export function createBadge(targets: BadgeTargets, appName = 'Fieldline') {
  let current = -1;
  return {
    update(missedUnseen: number) {
      const count = Math.max(0, Math.floor(missedUnseen));
      if (count === current) return;
      current = count;
      targets.setBadgeCount?.(count);
      const label =
        count === 0 ? appName : `${appName} — ${count} unseen missed call${count === 1 ? '' : 's'}`;
      targets.tray?.setToolTip(label);
      if (targets.platform === 'darwin') targets.tray?.setTitle?.(count === 0 ? '' : String(count));
    },
    get count() {
      return Math.max(current, 0);
    },
  };
}

import { describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../db/wire/desktop-api.ts';
import {
  commandForAlert,
  createAlertNotifier,
  createBadge,
  notificationFor,
  type NotificationLike,
  type NotificationOptionsLike,
} from './alerts.ts';

const leadId = '3f0e4b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const missed: Alert = {
  kind: 'missed_call',
  leadId,
  title: 'Missed call — (555) 123-4567',
  body: 'Texted back automatically. Call them back?',
  at: '2026-11-28T07:00:00.000Z',
};

function fakeNotifications() {
  const made: Array<{
    options: NotificationOptionsLike;
    fire: (event: 'click' | 'close') => void;
    shown: boolean;
  }> = [];
  const create = (options: NotificationOptionsLike): NotificationLike => {
    const handlers = new Map<string, () => void>();
    const entry = {
      options,
      fire: (event: 'click' | 'close') => handlers.get(event)?.(),
      shown: false,
    };
    made.push(entry);
    return {
      on: (event, listener) => handlers.set(event, listener),
      show: () => {
        entry.shown = true;
      },
    };
  };
  return { made, create };
}

describe('alerts as notifications', () => {
  it('maps each alert to a notification; a missed call stays until dismissed', () => {
    expect(notificationFor(missed)).toEqual({
      title: missed.title,
      body: missed.body,
      silent: false,
      urgency: 'critical',
      timeoutType: 'never',
    });
    expect(notificationFor({ ...missed, kind: 'inbound_text' })).toMatchObject({
      urgency: 'normal',
      timeoutType: 'default',
    });
  });

  it('shows a notification whose click focuses the window and opens the lead', () => {
    const { made, create } = fakeNotifications();
    const focusWindow = vi.fn();
    const send = vi.fn();
    const notifier = createAlertNotifier({ isSupported: () => true, create, focusWindow, send });
    expect(notifier.show(missed)).toBe(true);
    expect(made).toHaveLength(1);
    expect(made[0]!.shown).toBe(true);
    expect(notifier.showing).toBe(1); // held, so its click handler survives garbage collection
    made[0]!.fire('click');
    expect(focusWindow).toHaveBeenCalledOnce();
    expect(send).toHaveBeenCalledWith({ type: 'open-lead', leadId });
    expect(notifier.showing).toBe(0);
  });

  it('opens the alert’s screen when it has no lead', () => {
    expect(commandForAlert({ ...missed, leadId: null })).toEqual({
      type: 'navigate',
      screen: 'calls',
    });
    expect(commandForAlert({ ...missed, kind: 'inbound_text', leadId: null })).toEqual({
      type: 'navigate',
      screen: 'inbox',
    });
    expect(commandForAlert({ ...missed, kind: 'new_lead', leadId: null })).toEqual({
      type: 'navigate',
      screen: 'pipeline',
    });
  });

  it('lets go of a dismissed notification without acting', () => {
    const { made, create } = fakeNotifications();
    const send = vi.fn();
    const notifier = createAlertNotifier({
      isSupported: () => true,
      create,
      focusWindow: vi.fn(),
      send,
    });
    notifier.show(missed);
    made[0]!.fire('close');
    expect(notifier.showing).toBe(0);
    expect(send).not.toHaveBeenCalled();
  });

  it('does nothing where notifications are not supported', () => {
    const { made, create } = fakeNotifications();
    const notifier = createAlertNotifier({
      isSupported: () => false,
      create,
      focusWindow: vi.fn(),
      send: vi.fn(),
    });
    expect(notifier.show(missed)).toBe(false);
    expect(made).toHaveLength(0);
  });
});

describe('the badge', () => {
  const tray = () => ({ setToolTip: vi.fn(), setTitle: vi.fn() });

  it('counts unseen missed calls on the badge and in the tray tooltip', () => {
    const targets = { platform: 'linux' as const, setBadgeCount: vi.fn(() => true), tray: tray() };
    const badge = createBadge(targets);
    badge.update(3);
    expect(targets.setBadgeCount).toHaveBeenLastCalledWith(3);
    expect(targets.tray.setToolTip).toHaveBeenLastCalledWith('Fieldline — 3 unseen missed calls');
    expect(targets.tray.setTitle).not.toHaveBeenCalled(); // a menu-bar title is macOS only
    badge.update(1);
    expect(targets.tray.setToolTip).toHaveBeenLastCalledWith('Fieldline — 1 unseen missed call');
    badge.update(0);
    expect(targets.setBadgeCount).toHaveBeenLastCalledWith(0);
    expect(targets.tray.setToolTip).toHaveBeenLastCalledWith('Fieldline');
  });

  it('shows the count next to the menu-bar icon on macOS', () => {
    const targets = { platform: 'darwin' as const, setBadgeCount: vi.fn(() => true), tray: tray() };
    const badge = createBadge(targets);
    badge.update(12);
    expect(targets.tray.setTitle).toHaveBeenLastCalledWith('12');
    badge.update(0);
    expect(targets.tray.setTitle).toHaveBeenLastCalledWith('');
  });

  it('skips repeats, and works without a badge API or a tray', () => {
    const targets = { platform: 'win32' as const, tray: tray() };
    const badge = createBadge(targets);
    badge.update(2);
    badge.update(2);
    expect(targets.tray.setToolTip).toHaveBeenCalledOnce();
    expect(badge.count).toBe(2);
    expect(() => createBadge({ platform: 'linux', tray: null }).update(5)).not.toThrow();
  });
});

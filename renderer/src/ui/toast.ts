import { useSyncExternalStore } from 'react';

/**
 * Short-lived messages ("Moved to Booked", "Refused: …"), shown by <Toasts/> at the top of the
 * page, under the header, where no screen keeps anything to click.
 */
export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  message: string;
  /** What the message is about (a lead's id): a newer message about it replaces the older. */
  about?: string;
}

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((notify) => notify());

export function dismissToast(id: number): void {
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

/** At most this many at once: the oldest gives way. */
const MAX_SHOWN = 3;

/** Shows a message; errors stay longer, since they need reading. */
export function showToast(message: string, tone: Toast['tone'] = 'info', about?: string): void {
  const id = nextId++;
  const others = about === undefined ? toasts : toasts.filter((toast) => toast.about !== about);
  toasts = [
    ...others.slice(-(MAX_SHOWN - 1)),
    { id, tone, message, ...(about === undefined ? {} : { about }) },
  ];
  emit();
  setTimeout(() => dismissToast(id), tone === 'error' ? 8000 : 3500);
}

/** The messages showing now, oldest first. */
export const currentToasts = (): readonly Toast[] => toasts;

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore((notify) => {
    listeners.add(notify);
    return () => listeners.delete(notify);
  }, currentToasts);
}

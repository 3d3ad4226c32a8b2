import { useSyncExternalStore } from 'react';

/** Short-lived messages ("Moved to Booked", "Refused: …"), shown bottom-right by <Toasts/>. */
export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  message: string;
}

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((notify) => notify());

export function dismissToast(id: number): void {
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

/** Shows a message; errors stay longer, since they need reading. */
export function showToast(message: string, tone: Toast['tone'] = 'info'): void {
  const id = nextId++;
  toasts = [...toasts.slice(-3), { id, tone, message }];
  emit();
  setTimeout(() => dismissToast(id), tone === 'error' ? 8000 : 3500);
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(
    (notify) => {
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
    () => toasts,
  );
}

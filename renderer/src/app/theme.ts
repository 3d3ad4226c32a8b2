import { useCallback, useSyncExternalStore } from 'react';

/**
 * Light or dark: follows the system until the person picks one with the toggle, then remembers it
 * (localStorage). Applied as data-theme on <html>, which theme.css reads.
 */
export type Theme = 'light' | 'dark';
const KEY = 'fieldline.theme';
const query = () => window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

function stored(): Theme | null {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

export function effectiveTheme(): Theme {
  return stored() ?? (query().matches ? 'dark' : 'light');
}

/** Call once at start-up, before the first render. */
export function applyStoredTheme(): void {
  const theme = stored();
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  query().addEventListener('change', () => listeners.forEach((notify) => notify()));
}

export function useTheme(): { theme: Theme; toggle: () => void } {
  const theme = useSyncExternalStore((notify) => {
    listeners.add(notify);
    return () => listeners.delete(notify);
  }, effectiveTheme);
  const toggle = useCallback(() => {
    const next: Theme = effectiveTheme() === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Private mode or a full disk: the choice holds for this window only.
    }
    document.documentElement.dataset.theme = next;
    listeners.forEach((notify) => notify());
  }, []);
  return { theme, toggle };
}

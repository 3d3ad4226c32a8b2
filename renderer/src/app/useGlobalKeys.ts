import { useEffect, useRef } from 'react';
import { runCommand } from './commands.ts';
import { initialShortcutState, interpretKey, type ShortcutState } from './shortcuts.ts';

const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'tel',
  'url',
  'password',
  'number',
  'date',
  'datetime-local',
  'month',
  'time',
]);

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}

function isInteractive(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    target.closest('button, a[href], summary, [role="button"], [role="menuitem"], input') !== null
  );
}

/** One keydown listener for the whole app: keys become commands (shortcuts.ts) and run. */
export function useGlobalKeys(): void {
  const state = useRef<ShortcutState>(initialShortcutState);
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.isComposing) return;
      // A modal dialog owns the keyboard while it is open.
      if (document.querySelector('dialog[open]')) return;
      const result = interpretKey(
        state.current,
        {
          key: event.key,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          editable: isEditable(event.target),
          interactive: isInteractive(event.target),
        },
        performance.now(),
      );
      state.current = result.state;
      if (result.command && runCommand(result.command)) event.preventDefault();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

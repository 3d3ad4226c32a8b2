import { useEffect, useRef } from 'react';
import type { Command } from './shortcuts.ts';

/**
 * Who handles a command right now. Screens register handlers while mounted; the most recently
 * mounted one wins (a lead's detail over the board behind it), so j/k act on what is in front.
 */
type Handler = () => void;
const handlers = new Map<Command, Handler[]>();
/** Used only when no screen handles the command (React runs a parent's effects after its
 * children's, so mount order alone cannot put the app frame's defaults underneath). */
const fallbacks = new Map<Command, Handler[]>();

export function runCommand(command: Command): boolean {
  const stack = handlers.get(command);
  const fallback = fallbacks.get(command);
  const handler = stack?.[stack.length - 1] ?? fallback?.[fallback.length - 1];
  if (!handler) return false;
  handler();
  return true;
}

/**
 * Handles `command` while the component is mounted (and `enabled`). A `fallback` handler runs
 * only when nothing else handles the command.
 */
export function useCommand(
  command: Command,
  handler: Handler,
  enabled = true,
  options: { fallback?: boolean } = {},
): void {
  const registry = options.fallback ? fallbacks : handlers;
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    if (!enabled) return;
    const mine: Handler = () => ref.current();
    const stack = registry.get(command) ?? [];
    stack.push(mine);
    registry.set(command, stack);
    return () => {
      const index = stack.indexOf(mine);
      if (index >= 0) stack.splice(index, 1);
    };
  }, [command, enabled, registry]);
}

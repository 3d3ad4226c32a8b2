import { useEffect, useRef, useState } from 'react';
import { useCommand } from '../../app/commands.ts';
import { Icon } from '../../ui/index.ts';
import { setFilters } from './filter-store.ts';
import { takeSearchFocusRequest } from './search-focus.ts';

/** Typing waits this long for the next key before searching (the replica is local: no network). */
export const SEARCH_DEBOUNCE_MS = 50;

/**
 * Search as you type. Keystrokes re-render only this box; the filter (and so the board or list)
 * changes once typing pauses for SEARCH_DEBOUNCE_MS.
 */
export function SearchBox({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setFilters({ search: text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    if (takeSearchFocusRequest()) inputRef.current?.focus();
  }, []);
  useCommand('focus-search', () => {
    inputRef.current?.focus();
    inputRef.current?.select();
  });

  return (
    <div className="search-box">
      <Icon name="search" size={16} />
      <input
        ref={inputRef}
        type="search"
        className="input search-input"
        placeholder="Search name, phone or description"
        aria-label="Search leads"
        aria-keyshortcuts="/"
        value={text}
        onChange={(event) => setText(event.target.value)}
        data-testid="lead-search"
      />
      {text ? null : (
        <kbd className="search-kbd" aria-hidden="true">
          /
        </kbd>
      )}
    </div>
  );
}

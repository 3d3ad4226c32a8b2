/**
 * The keyboard map, as pure data and one pure function, so it is tested without a DOM: a key
 * press (and whether focus is in a text field) goes in, a command comes out. Two-key sequences
 * ("g" then "p") carry a little state between presses.
 */

export type GoTarget =
  'pipeline' | 'list' | 'inbox' | 'calls' | 'dashboard' | 'campaigns' | 'agents' | 'workflows';

export type Command =
  | 'next'
  | 'prev'
  | 'left'
  | 'right'
  | 'open'
  | 'move'
  | 'focus-search'
  | 'new-lead'
  | 'help'
  | 'edits'
  | 'blur'
  | `go:${GoTarget}`;

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Focus is in a text input, textarea, select or contenteditable: typing, not commanding. */
  editable?: boolean;
  /** Focus is on a button or link, where Enter already means "press this". */
  interactive?: boolean;
}

export interface ShortcutState {
  /** The first key of a sequence, and when it was pressed. */
  prefix: 'g' | null;
  at: number;
}

export const initialShortcutState: ShortcutState = { prefix: null, at: 0 };

/** How long "g" waits for its second key. */
export const SEQUENCE_TIMEOUT_MS = 1500;

const GO_KEYS: Record<string, GoTarget> = {
  p: 'pipeline',
  l: 'list',
  i: 'inbox',
  c: 'calls',
  d: 'dashboard',
  m: 'campaigns',
  a: 'agents',
  w: 'workflows',
};

const SINGLE_KEYS: Record<string, Command> = {
  j: 'next',
  k: 'prev',
  h: 'left',
  l: 'right',
  m: 'move',
  '/': 'focus-search',
  n: 'new-lead',
  '?': 'help',
  e: 'edits',
  Enter: 'open',
};

export function interpretKey(
  state: ShortcutState,
  input: KeyInput,
  now: number,
): { state: ShortcutState; command: Command | null } {
  const none = { state: initialShortcutState, command: null };
  if (input.ctrlKey || input.metaKey || input.altKey) return none;
  if (input.editable) {
    return input.key === 'Escape' ? { state: initialShortcutState, command: 'blur' } : none;
  }

  if (state.prefix === 'g' && now - state.at <= SEQUENCE_TIMEOUT_MS) {
    const target = GO_KEYS[input.key];
    return { state: initialShortcutState, command: target ? `go:${target}` : null };
  }
  if (input.key === 'g') return { state: { prefix: 'g', at: now }, command: null };
  if (input.key === 'Enter' && input.interactive) return none;

  return { state: initialShortcutState, command: SINGLE_KEYS[input.key] ?? null };
}

/** The help overlay's list: every shortcut, grouped, in the words a person reads. */
export const shortcutHelp: { group: string; items: { keys: string[]; does: string }[] }[] = [
  {
    group: 'Anywhere',
    items: [
      { keys: ['?'], does: 'Show this list of shortcuts' },
      { keys: ['n'], does: 'New lead' },
      { keys: ['/'], does: 'Search leads' },
      { keys: ['e'], does: 'Open the Edits panel (refused and superseded edits)' },
      { keys: ['Esc'], does: 'Close a dialog, or leave a text field' },
    ],
  },
  {
    group: 'Lists and the board',
    items: [
      { keys: ['j'], does: 'Next lead' },
      { keys: ['k'], does: 'Previous lead' },
      { keys: ['h'], does: 'Previous column (board)' },
      { keys: ['l'], does: 'Next column (board)' },
      { keys: ['Enter'], does: 'Open the selected lead' },
      { keys: ['m'], does: 'Move the selected lead to another status' },
    ],
  },
  {
    group: 'Go to',
    items: [
      { keys: ['g', 'p'], does: 'Pipeline board' },
      { keys: ['g', 'l'], does: 'Pipeline list' },
      { keys: ['g', 'i'], does: 'Inbox' },
      { keys: ['g', 'c'], does: 'Calls' },
      { keys: ['g', 'd'], does: 'Dashboard' },
      { keys: ['g', 'm'], does: 'Campaigns and keywords' },
      { keys: ['g', 'a'], does: 'Agents' },
      { keys: ['g', 'w'], does: 'Workflows' },
    ],
  },
];

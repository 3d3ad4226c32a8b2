import { describe, expect, it } from 'vitest';
import {
  initialShortcutState,
  interpretKey,
  SEQUENCE_TIMEOUT_MS,
  type KeyInput,
  type ShortcutState,
} from './shortcuts.ts';

function press(keys: (string | KeyInput)[], start = 1000, step = 100) {
  let state: ShortcutState = initialShortcutState;
  const commands: (string | null)[] = [];
  keys.forEach((key, index) => {
    const input = typeof key === 'string' ? { key } : key;
    const result = interpretKey(state, input, start + index * step);
    state = result.state;
    commands.push(result.command);
  });
  return commands;
}

describe('shortcut dispatcher', () => {
  it('maps single keys', () => {
    expect(press(['j', 'k', '/', 'n', '?', 'Enter', 'm', 'x'])).toEqual([
      'next',
      'prev',
      'focus-search',
      'new-lead',
      'help',
      'open',
      'move',
      null,
    ]);
  });

  it('runs g-sequences', () => {
    expect(press(['g', 'p'])).toEqual([null, 'go:pipeline']);
    expect(press(['g', 'i'])).toEqual([null, 'go:inbox']);
    expect(press(['g', 'c'])).toEqual([null, 'go:calls']);
    expect(press(['g', 'l'])).toEqual([null, 'go:list']);
    // An unknown second key ends the sequence without doing anything (and is not a single key).
    expect(press(['g', 'j', 'j'])).toEqual([null, null, 'next']);
  });

  it('forgets "g" after the timeout', () => {
    expect(press(['g', 'j'], 0, SEQUENCE_TIMEOUT_MS + 1)).toEqual([null, 'next']);
  });

  it('ignores keys while typing, except Esc to leave the field', () => {
    expect(
      press([
        { key: 'j', editable: true },
        { key: 'Escape', editable: true },
      ]),
    ).toEqual([null, 'blur']);
    expect(press(['g', { key: 'p', editable: true }])).toEqual([null, null]);
  });

  it('leaves modified keys and Enter on buttons to the platform', () => {
    expect(
      press([
        { key: 'n', ctrlKey: true },
        { key: 'k', metaKey: true },
      ]),
    ).toEqual([null, null]);
    expect(press([{ key: 'Enter', interactive: true }])).toEqual([null]);
  });
});

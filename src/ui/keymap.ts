/**
 * Keys are commands: one table drives both the handlers and the hint bar, so the hints cannot drift from
 * what the keys do. Habits from k9s, htop and lazydocker: j/k and arrows move, / searches, ? helps, q quits,
 * esc goes back, Enter goes on, y confirms what changes the node.
 */
import type { Key } from 'ink';

export type KeyName = string;

/** One name per key press: 'up', 'enter', 'pagedown', 'escape', 'tab', 'space', or the character. */
export function keyName(input: string, key: Key): KeyName {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input === 'c') return 'ctrl-c';
  if (key.ctrl && input === 's') return 'ctrl-s';
  if (input === ' ') return 'space';
  return input;
}

export interface Binding {
  readonly keys: readonly KeyName[];
  /** Short label for the hint bar; omitted bindings are in help only. */
  readonly hint?: string;
  readonly help: string;
}

export const GLOBAL: Record<'help' | 'quit' | 'back', Binding> = {
  help: { keys: ['?'], hint: '? help', help: 'this help' },
  quit: { keys: ['q', 'ctrl-c'], hint: 'q quit', help: 'quit (asks while a migration runs)' },
  back: { keys: ['escape'], help: 'back; close a dialog, the search, or clear a kept search' },
};

export const CONFIRM = {
  yes: { keys: ['y'], hint: 'y yes', help: 'confirm' },
  no: { keys: ['n', 'escape'], hint: 'n/esc no', help: 'cancel' },
} satisfies Record<string, Binding>;

export function matches(b: Binding, name: KeyName): boolean {
  return b.keys.includes(name);
}

export function hints(bindings: Record<string, Binding>): string[] {
  return Object.values(bindings)
    .map((b) => b.hint)
    .filter((h): h is string => Boolean(h));
}

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
  quit: { keys: ['q', 'ctrl-c'], hint: 'q quit', help: 'quit (asks first while a migration runs)' },
  back: { keys: ['escape'], hint: 'esc back', help: 'go back, close a dialog or the search' },
};

export const DETECT = {
  next: { keys: ['enter'], hint: '⏎ preview', help: 'plan the migration and preview it' },
  refresh: { keys: ['r'], hint: 'r refresh', help: 'detect again' },
  monitor: { keys: ['m'], hint: 'm monitor', help: 'open the live monitor' },
  down: { keys: ['j', 'down'], help: 'scroll down' },
  up: { keys: ['k', 'up'], help: 'scroll up' },
} satisfies Record<string, Binding>;

export const PREVIEW = {
  apply: { keys: ['enter'], hint: '⏎ apply', help: 'apply the plan (asks for y first)' },
  nextTab: { keys: ['tab', 'right', 'l'], hint: 'tab file', help: 'next file' },
  prevTab: { keys: ['shift-tab', 'left', 'h'], help: 'previous file' },
  down: { keys: ['j', 'down'], hint: 'j/k scroll', help: 'scroll down' },
  up: { keys: ['k', 'up'], help: 'scroll up' },
  pageDown: { keys: ['pagedown', 'space'], help: 'page down' },
  pageUp: { keys: ['pageup'], help: 'page up' },
} satisfies Record<string, Binding>;

export const DONE = {
  monitor: { keys: ['enter', 'm'], hint: '⏎ monitor', help: 'open the live monitor' },
} satisfies Record<string, Binding>;

export const MONITOR = {
  down: { keys: ['j', 'down'], hint: 'j/k select', help: 'select the next program' },
  up: { keys: ['k', 'up'], help: 'select the previous program' },
  restart: { keys: ['r'], hint: 'r restart', help: 'restart the selected program (asks for y)' },
  stop: { keys: ['x'], hint: 'x stop', help: 'stop the selected program (asks for y)' },
  start: { keys: ['s'], hint: 's start', help: 'start the selected program, or recover it from FATAL (asks for y)' },
  follow: { keys: ['f', 'space'], hint: 'f follow', help: 'pause or follow the log' },
  search: { keys: ['/'], hint: '/ search', help: 'search the log; n and N for next and previous match' },
  nextMatch: { keys: ['n'], help: 'next match' },
  prevMatch: { keys: ['N'], help: 'previous match' },
  level: { keys: ['l'], hint: 'l level', help: 'show only warnings and errors, only errors, or everything' },
  logUp: { keys: ['pageup', 'K'], help: 'scroll the log back' },
  logDown: { keys: ['pagedown', 'J'], help: 'scroll the log forward' },
  logTop: { keys: ['g'], help: 'oldest line kept' },
  logBottom: { keys: ['G'], help: 'newest line, following' },
} satisfies Record<string, Binding>;

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

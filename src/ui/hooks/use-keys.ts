/**
 * A screen's keys: its binding table (the same one the hint bar and help show) mapped to handlers, active
 * only while the screen has the keyboard (no dialog, help or search box over it). A key press clears the
 * last notice before its handler runs, so a handler's own notice stays.
 */
import { useInput } from 'ink';
import { useCallback, useLayoutEffect, useRef } from 'react';
import { useAppStore } from '../../store/store-context.js';
import { type Binding, type KeyName, keyName, matches } from '../keymap.js';

/** Whether any of these bindings takes the key. */
export function binds(bindings: Record<string, Binding>, name: KeyName): boolean {
  return Object.values(bindings).some((b) => matches(b, name));
}

type InputHandler = Parameters<typeof useInput>[0];

/**
 * Ink's useInput, subscribed once (and again only when `isActive` changes), calling the handler of the latest
 * render. Ink subscribes again whenever it is given a new function: a screen's handlers are new at each render,
 * and the monitor renders at each log line (profiled: a listener removed and added per frame, twice).
 */
export function useLatestInput(handler: InputHandler, options: { readonly isActive: boolean }): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  const stable = useCallback<InputHandler>((input, key) => latest.current(input, key), []);
  useInput(stable, options);
}

/** `when`, if given, is asked as each key arrives (state that changed since the last draw). */
export function useKeys<K extends string>(
  bindings: Record<K, Binding>,
  handlers: Partial<Record<K, () => void>>,
  isActive: boolean,
  when?: () => boolean,
): void {
  const dismissNotice = useAppStore((s) => s.actions.dismissNotice);
  useLatestInput(
    (input, key) => {
      if (when && !when()) return;
      const name = keyName(input, key);
      for (const command of Object.keys(bindings) as K[]) {
        if (matches(bindings[command], name)) {
          dismissNotice();
          handlers[command]?.();
          return;
        }
      }
    },
    { isActive },
  );
}

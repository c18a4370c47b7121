/** The app store, provided to every component; screens select what they draw. */
import type React from 'react';
import { createContext, useContext, useRef } from 'react';
import { useStore } from 'zustand';
import { BugError } from '../core/errors.js';
import type { AppState, AppStore } from './app-store.js';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { readonly store: AppStore; readonly children: React.ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Selects from the app store; redraws only when the selected value changes. */
export function useAppStore<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new BugError('useAppStore outside <StoreProvider>');
  return useStore(store, selector);
}

/**
 * Selects from the app store, and redraws only when `equal` says the selected value changed: the value kept
 * from before is handed out again while it is equal (what zustand's useStoreWithEqualityFn does, without its
 * extra dependency).
 */
export function useAppStoreWith<T>(selector: (s: AppState) => T, equal: (a: T, b: T) => boolean): T {
  const kept = useRef<{ readonly value: T } | null>(null);
  return useAppStore((s) => {
    const value = selector(s);
    if (kept.current && equal(kept.current.value, value)) return kept.current.value;
    kept.current = { value };
    return value;
  });
}

/**
 * The store itself, for key handlers that must read the state as it is when the key arrives: several keys
 * can arrive in one read (a paste, a fast typist over SSH), before the screen has drawn what the first did.
 */
export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new BugError('useAppStoreApi outside <StoreProvider>');
  return store;
}

/**
 * The monitor's log pane as state: following or scrolled back, the severity filter, the search and its
 * current match. Pure functions of the store's get/set, so the pane's behaviour is tested without React.
 */
import type { Severity } from '../core/kubelet/klog.js';

export interface LogViewState {
  /** Following the end of the log; false while paused or scrolled back. */
  readonly follow: boolean;
  /** Lines scrolled back from the end (when not following). */
  readonly scroll: number;
  readonly minSeverity: Severity;
  readonly query: string;
  /** The search box is open and takes the keys. */
  readonly typing: boolean;
  /** Sequence number of the current match. */
  readonly matchSeq: number | null;
}

export const FRESH_LOG: LogViewState = {
  follow: true,
  scroll: 0,
  minSeverity: 'info',
  query: '',
  typing: false,
  matchSeq: null,
};

export interface LogViewActions {
  toggleFollow(): void;
  scrollLog(delta: number): void;
  logTop(): void;
  logBottom(): void;
  setMinSeverity(s: Severity): void;
  openSearch(): void;
  /** Appends to the query as it is now (several reads can arrive before a redraw). */
  typeSearch(text: string): void;
  eraseSearch(): void;
  closeSearch(keep: boolean): void;
  nextMatch(direction: 1 | -1, matches: readonly number[]): void;
}

type Get = () => { readonly log: LogViewState };
type Set = (patch: { log: LogViewState }) => void;

export function createLogViewActions(get: Get, set: Set): LogViewActions {
  return {
    toggleFollow() {
      const l = get().log;
      set({ log: { ...l, follow: !l.follow, scroll: l.follow ? l.scroll : 0 } });
    },
    scrollLog(delta) {
      const l = get().log;
      const scroll = Math.max(0, l.scroll - delta);
      set({ log: { ...l, scroll, follow: scroll === 0 && delta > 0 ? l.follow : false } });
    },
    logTop() {
      set({ log: { ...get().log, follow: false, scroll: Number.MAX_SAFE_INTEGER } });
    },
    logBottom() {
      set({ log: { ...get().log, follow: true, scroll: 0 } });
    },
    setMinSeverity(minSeverity) {
      set({ log: { ...get().log, minSeverity } });
    },
    openSearch() {
      set({ log: { ...get().log, typing: true, query: '' } });
    },
    typeSearch(text) {
      const l = get().log;
      set({ log: { ...l, query: l.query + text } });
    },
    eraseSearch() {
      const l = get().log;
      set({ log: { ...l, query: l.query.slice(0, -1) } });
    },
    closeSearch(keep) {
      const l = get().log;
      set({
        log: { ...l, typing: false, query: keep ? l.query : '', matchSeq: null, follow: keep ? false : l.follow },
      });
    },
    nextMatch(direction, matches) {
      if (!matches.length) return;
      const l = get().log;
      const cur = l.matchSeq;
      let next: number;
      if (cur === null) next = direction > 0 ? (matches[0] as number) : (matches.at(-1) as number);
      else {
        const i = matches.indexOf(cur);
        const j = i < 0 ? (direction > 0 ? 0 : matches.length - 1) : (i + direction + matches.length) % matches.length;
        next = matches[j] as number;
      }
      set({ log: { ...l, matchSeq: next, follow: false } });
    },
  };
}

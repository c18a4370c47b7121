/**
 * The monitor's log pane as state: following or scrolled back, the severity filter, the search and its
 * current match. Pure functions of the store's get/set, so the pane's behaviour is tested without React.
 */
import type { LogLine, Severity } from '../core/kubelet/klog.js';
import { atLeast, findMatches, type LogRing } from '../core/monitor/log-ring.js';

export interface LogViewState {
  /** Following the end of the log; false while paused or scrolled back. */
  readonly follow: boolean;
  /**
   * While paused or scrolled back: the newest line shown, by its sequence number. The view holds still on it
   * however fast lines arrive (they are counted, not shown); null while following.
   */
  readonly anchorSeq: number | null;
  readonly minSeverity: Severity;
  readonly query: string;
  /** The search box is open and takes the keys. */
  readonly typing: boolean;
  /** Sequence number of the current match (of the search, or the error jumped to). */
  readonly matchSeq: number | null;
  /** Long lines wrap onto the next rows instead of being cut at the edge. */
  readonly wrap: boolean;
  /** Each line's time (and klog's pid) shown; off leaves more room for the message. */
  readonly timestamps: boolean;
  /** Only the lines matching the search are shown (with the marks of deaths and starts), like less's `&`. */
  readonly filter: boolean;
  /** The newest line when the view stopped following: lines after it arrived while paused. */
  readonly pausedAtSeq: number | null;
}

export const FRESH_LOG: LogViewState = {
  follow: true,
  anchorSeq: null,
  minSeverity: 'info',
  query: '',
  typing: false,
  matchSeq: null,
  wrap: false,
  timestamps: true,
  filter: false,
  pausedAtSeq: null,
};

export interface LogViewActions {
  toggleFollow(): void;
  /** Lines forward (+) or back (-), within the pane's `height`. */
  scrollLog(delta: number, height: number): void;
  logTop(height: number): void;
  logBottom(): void;
  setMinSeverity(s: Severity): void;
  openSearch(): void;
  /** Appends to the query as it is now (several reads can arrive before a redraw). */
  typeSearch(text: string): void;
  eraseSearch(): void;
  closeSearch(keep: boolean): void;
  nextMatch(direction: 1 | -1, matches: readonly number[]): void;
  /** To the next (+1) or previous (-1) error or fatal line, from the current match or the view's end. */
  jumpToError(direction: 1 | -1): void;
  toggleWrap(): void;
  toggleTimestamps(): void;
  /** Only matching lines, or all again; with no search yet, opens the box for one. */
  toggleFilter(): void;
  /** esc on a kept search: no search, no filter, following again. */
  clearSearch(): void;
}

export interface LogWindow {
  readonly lines: LogLine[];
  readonly matches: number[];
  readonly total: number;
  /** Lines that arrived since the view stopped following (not shown until it follows again). */
  readonly newer: number;
  /** Which match is the current one, from 1 (0 when none is). */
  readonly current: number;
}

/** The lines the pane holds after its filter: what it shows, scrolls through, and saves (with the search). */
export const shown = (ring: LogRing, view: Pick<LogViewState, 'minSeverity' | 'filter' | 'query'>) => {
  const q = view.filter ? view.query.toLowerCase() : '';
  if (view.minSeverity === 'info' && !q) return ring.toArray();
  // The marks of deaths and starts stay whatever the level and filter: they are what the lines are read around.
  const enough = atLeast(view.minSeverity);
  return ring.toArray((l) => l.mark === true || (enough(l) && (!q || l.text.toLowerCase().includes(q))));
};

/** Lines after `seq`, counted from the end (they are in order). */
function countAfter(all: readonly LogLine[], seq: number): number {
  let n = 0;
  while (n < all.length && (all[all.length - 1 - n] as LogLine).seq > seq) n++;
  return n;
}

/** Index just past the newest line a paused view shows: the anchor's, kept on screen even when it scrolled away. */
function anchorEnd(all: readonly LogLine[], anchorSeq: number, height: number): number {
  let end = 0;
  while (end < all.length && (all[end] as LogLine).seq <= anchorSeq) end++;
  return Math.max(Math.min(height, all.length), end);
}

/**
 * The lines the pane shows: the newest that fit while following, up to the anchor while paused,
 * or around the current match.
 */
export function logWindow(ring: LogRing | null, view: LogViewState, height: number): LogWindow {
  if (!ring) return { lines: [], matches: [], total: 0, newer: 0, current: 0 };
  // Following every line with no search: the newest screenful, not a copy of the whole ring at each frame.
  if (view.follow && view.minSeverity === 'info' && !view.query && view.matchSeq === null)
    return { lines: ring.last(height), matches: [], total: ring.size, newer: 0, current: 0 };
  const all = shown(ring, view);
  const matches = findMatches(all, view.query);
  let end = all.length;
  if (view.matchSeq !== null) {
    const i = all.findIndex((l) => l.seq === view.matchSeq);
    if (i >= 0) end = Math.min(all.length, i + Math.ceil(height / 2));
  } else if (!view.follow && view.anchorSeq !== null) {
    end = anchorEnd(all, view.anchorSeq, height);
  }
  const start = Math.max(0, end - height);
  const newer = view.follow || view.pausedAtSeq === null ? 0 : countAfter(all, view.pausedAtSeq);
  const current = view.matchSeq === null ? 0 : matches.indexOf(view.matchSeq) + 1;
  return { lines: all.slice(start, end), matches, total: all.length, newer, current };
}

type Get = () => { readonly log: LogViewState; readonly logRing: LogRing | null };
type Set = (patch: { log: LogViewState }) => void;

/** The view stops following (or stays stopped): from when, to count the lines that arrive after. */
function stopped(l: LogViewState, ring: LogRing | null): Pick<LogViewState, 'follow' | 'pausedAtSeq'> {
  return { follow: false, pausedAtSeq: l.follow ? (ring?.at(ring.size - 1)?.seq ?? null) : l.pausedAtSeq };
}
const FOLLOWING = { follow: true, anchorSeq: null, pausedAtSeq: null } as const;

export function createLogViewActions(get: Get, set: Set): LogViewActions {
  return {
    toggleFollow() {
      const l = get().log;
      // Pausing holds the newest line now on screen; following again lets go of it.
      const newest = get().logRing?.toArray().at(-1)?.seq ?? null;
      if (!l.follow) return set({ log: { ...l, ...FOLLOWING } });
      set({ log: { ...l, ...stopped(l, get().logRing), anchorSeq: newest } });
    },
    scrollLog(delta, height) {
      const l = get().log;
      const ring = get().logRing;
      if (!ring) return;
      const all = shown(ring, l);
      const end = l.follow || l.anchorSeq === null ? all.length : anchorEnd(all, l.anchorSeq, height);
      // Never past either end: the oldest screenful at the top, the newest line at the bottom.
      const next = Math.min(all.length, Math.max(Math.min(height, all.length), end + delta));
      if (next === end && l.follow) return;
      set({ log: { ...l, ...stopped(l, ring), matchSeq: null, anchorSeq: all[next - 1]?.seq ?? null } });
    },
    logTop(height) {
      const ring = get().logRing;
      const all = ring ? shown(ring, get().log) : [];
      const top = all[Math.min(height, all.length) - 1]?.seq ?? null;
      set({ log: { ...get().log, ...stopped(get().log, ring), matchSeq: null, anchorSeq: top } });
    },
    logBottom() {
      set({ log: { ...get().log, ...FOLLOWING, matchSeq: null } });
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
      const query = keep ? l.query : '';
      const after = keep && query ? stopped(l, get().logRing) : {};
      set({ log: { ...l, typing: false, query, filter: query ? l.filter : false, matchSeq: null, ...after } });
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
      set({ log: { ...l, matchSeq: next, ...stopped(l, get().logRing) } });
    },
    jumpToError(direction) {
      const l = get().log;
      const ring = get().logRing;
      if (!ring) return;
      const all = shown(ring, l);
      const errors = all.filter((x) => x.severity === 'error' || x.severity === 'fatal').map((x) => x.seq);
      if (!errors.length) return;
      // From the line in focus: the current match, else the newest line on screen.
      const from = l.matchSeq ?? (l.follow ? (all.at(-1)?.seq ?? 0) + 1 : (l.anchorSeq ?? 0));
      const next =
        direction > 0
          ? (errors.find((seq) => seq > from) ?? errors.at(-1))
          : ([...errors].reverse().find((seq) => seq < from) ?? errors[0]);
      set({ log: { ...l, matchSeq: next ?? null, ...stopped(l, ring) } });
    },
    toggleWrap() {
      set({ log: { ...get().log, wrap: !get().log.wrap } });
    },
    toggleTimestamps() {
      set({ log: { ...get().log, timestamps: !get().log.timestamps } });
    },
    toggleFilter() {
      const l = get().log;
      if (!l.query) return set({ log: { ...l, filter: true, typing: true } });
      set({ log: { ...l, filter: !l.filter, matchSeq: null } });
    },
    clearSearch() {
      set({ log: { ...get().log, query: '', filter: false, matchSeq: null, ...FOLLOWING } });
    },
  };
}

/**
 * The root: the screen for the store's step (a switch, checked to cover every screen), the keys that work
 * everywhere (quit, help, back, the y/n of a dialog), and heights that keep a frame below the terminal's
 * height (Ink would otherwise clear the whole screen: flicker). Each screen maps its own keys.
 */
import { Box, Text, useApp as useInkApp } from 'ink';
import { BugError } from '../core/errors.js';
import type { Screen } from '../store/app-store.js';
import { useAppStore, useAppStoreApi } from '../store/store-context.js';
import { Header } from './components/header.js';
import { HintBar } from './components/hint-bar.js';
import { alsoMoveHint } from './components/other-units.js';
import { ConfirmBar, confirmRows, HelpOverlay, NoticeLine } from './components/overlays.js';
import { binds, useLatestInput } from './hooks/use-keys.js';
import { useWindowSize } from './hooks/use-window-size.js';
import { type Binding, CONFIRM, GLOBAL, hints, keyName, matches } from './keymap.js';
import { APPLY_KEYS, ApplyScreen } from './screens/apply-screen.js';
import { DETECT_KEYS, DetectScreen } from './screens/detect-screen.js';
import { DONE_KEYS, DoneScreen } from './screens/done-screen.js';
import { INTERRUPTED_KEYS, InterruptedScreen } from './screens/interrupted-screen.js';
import { MONITOR_KEYS, MonitorScreen } from './screens/monitor-screen.js';
import { PREVIEW_KEYS, PreviewScreen } from './screens/preview-screen.js';

const SCREEN_KEYS: Record<Screen, Record<string, Binding>> = {
  interrupted: INTERRUPTED_KEYS,
  detect: DETECT_KEYS,
  preview: PREVIEW_KEYS,
  apply: APPLY_KEYS,
  done: DONE_KEYS,
  monitor: MONITOR_KEYS,
};
const TITLES: Record<Screen, string> = {
  interrupted: 'interrupted',
  detect: '1 detect',
  preview: '2 preview',
  apply: '3 apply',
  done: '4 done',
  monitor: 'monitor',
};

function assertNever(value: never): never {
  throw new BugError(`no screen for ${String(value)}`);
}

interface ScreenProps {
  readonly screen: Screen;
  readonly width: number;
  readonly height: number;
  readonly keysActive: boolean;
}

function CurrentScreen({ screen, width, height, keysActive }: ScreenProps) {
  switch (screen) {
    case 'interrupted':
      return <InterruptedScreen height={height} keysActive={keysActive} />;
    case 'detect':
      return <DetectScreen width={width} height={height} keysActive={keysActive} />;
    case 'preview':
      return <PreviewScreen width={width} height={height} keysActive={keysActive} />;
    case 'apply':
      return <ApplyScreen width={width} height={height} />;
    case 'done':
      return <DoneScreen width={width} height={height} keysActive={keysActive} />;
    case 'monitor':
      return <MonitorScreen width={width} height={height} keysActive={keysActive} />;
    default:
      return assertNever(screen);
  }
}

/** The smallest terminal drawn: below, one line says so (at 40x10 the help and the wizard's words fell apart). */
export const MIN_COLUMNS = 50;
export const MIN_ROWS = 12;

export function App({ hostname }: { readonly hostname: string }) {
  const { exit } = useInkApp();
  const { columns, rows } = useWindowSize();
  const screen = useAppStore((s) => s.screen);
  const help = useAppStore((s) => s.help);
  const confirm = useAppStore((s) => s.confirm);
  const result = useAppStore((s) => s.result);
  const operation = useAppStore((s) => s.operation);
  const stopping = useAppStore((s) => s.stopping);
  const search = useAppStore((s) => (s.log.typing ? s.log.query : null));
  const noticeShown = useAppStore((s) => s.notice !== null || s.busy !== null);
  const keptSearch = useAppStore((s) => !s.log.typing && s.log.query !== '');
  const alsoMove = useAppStore((s) => (s.screen === 'detect' ? alsoMoveHint(s.detection) : null));
  const a = useAppStore((s) => s.actions);
  const store = useAppStoreApi();

  // Heights: header 1, hint bar 1; the notice, the search box and the dialog (its wrapped rows and border) only
  // while shown: no row stays blank for them.
  const chrome = 2 + (noticeShown ? 1 : 0) + (search !== null ? 1 : 0);
  const bodyHeight = Math.max(4, rows - 1 - chrome - (confirm ? confirmRows(confirm.message, columns) : 0));
  const migrating = screen === 'apply' && !result;
  const clip = screen === 'monitor' && !help ? 'visible' : 'hidden';

  useLatestInput(
    (input, key) => {
      // The search box, once open, takes every key, even those that arrived in the same read as its `/`.
      if (store.getState().log.typing) return;
      const k = keyName(input, key);
      if (confirm) {
        if (matches(CONFIRM.yes, k)) confirm.run();
        else if (matches(CONFIRM.no, k) || k === 'q') a.setConfirm(null);
        return;
      }
      // The screen's own keys clear the notice themselves (use-keys.ts), before they may set a new one.
      if (!binds(SCREEN_KEYS[screen], k)) a.dismissNotice();
      if (matches(GLOBAL.quit, k)) {
        if (!migrating) return exit();
        // Never half-way: a migration stops after its current step and rolls back; a rollback finishes.
        if (operation === 'rollback' || stopping) {
          return a.setNotice({
            text: `${stopping ? 'stopping: rolling back' : 'rolling back'}; it finishes by itself`,
            ok: false,
          });
        }
        const message = 'Stop the migration? It stops after the current step and rolls back; nothing is left half-way';
        return a.setConfirm({ message, run: a.stopApply });
      }
      if (matches(GLOBAL.help, k)) return a.toggleHelp();
      if (matches(GLOBAL.back, k)) return a.back();
    },
    { isActive: true },
  );

  // The number keys are offered only when there are units to choose, as many as there are.
  const ownHints = hints(SCREEN_KEYS[screen]).flatMap((h) =>
    h !== DETECT_KEYS.unit1.hint ? [h] : alsoMove ? [alsoMove] : [],
  );
  // esc is offered only where it does something: back from the preview, or clearing a kept search.
  const esc = screen === 'preview' ? 'esc back' : screen === 'monitor' && keptSearch ? 'esc clear search' : null;
  const screenHints = confirm
    ? hints(CONFIRM)
    : search !== null
      ? ['type to search', '⏎ keep', 'esc cancel']
      : [...(esc ? [esc] : []), ...ownHints];
  const keep = confirm || search !== null ? [] : [GLOBAL.help.hint, GLOBAL.quit.hint].filter((h) => h !== undefined);
  const groups = [
    ['everywhere', GLOBAL],
    [TITLES[screen], SCREEN_KEYS[screen]],
    ['dialogs', CONFIRM],
  ] as const;
  // Drawn smaller, screens would overlap and cut words ("igrated"): one line instead, until it is resized.
  if (columns < MIN_COLUMNS || rows < MIN_ROWS)
    return <Text wrap="truncate-end">{`terminal too small (need at least ${MIN_COLUMNS}x${MIN_ROWS})`}</Text>;
  return (
    // Never taller than the terminal (one row spare: Ink clears the whole screen on every frame that fills it):
    // a frame that scrolled could not be erased by the next, and would stay above it. The monitor sizes every
    // part itself; clipping costs a third of each of its frames (Ink slices every line), so it is not clipped.
    <Box flexDirection="column" width={columns} height={rows - 1} overflow={clip}>
      <Header title={TITLES[screen]} right={hostname} width={columns} />
      {/* Help takes the screen's place (a hidden screen, display none, crashes Ink's layout when drawn). */}
      {help ? (
        <HelpOverlay groups={groups} width={columns} height={bodyHeight} />
      ) : (
        <Box flexDirection="column" height={bodyHeight} flexShrink={0} overflow={clip}>
          <CurrentScreen screen={screen} width={columns} height={bodyHeight} keysActive={!confirm} />
        </Box>
      )}
      <ConfirmBar width={columns} />
      <NoticeLine />
      {search !== null ? <HintBar hints={[`/${search}█`]} width={columns} /> : null}
      <HintBar hints={screenHints} keep={keep} width={columns} />
    </Box>
  );
}

/**
 * The root: picks the screen from the store's step, routes each key to the command it names, and lays out
 * heights so that a frame never reaches the terminal's height (Ink then clears the whole screen: flicker).
 */
import { Box, useApp as useInkApp, useInput } from 'ink';
import React, { useState } from 'react';
import type { Screen } from '../store/app-store.js';
import { Header } from './components/header.js';
import { HintBar } from './components/hint-bar.js';
import { logWindow, nextLevel } from './components/log-view.js';
import { ConfirmBar, HelpOverlay, NoticeLine } from './components/overlays.js';
import { CONFIRM, DETECT, DONE, GLOBAL, hints, keyName, matches, MONITOR, PREVIEW, type Binding } from './keymap.js';
import { ApplyScreen } from './screens/apply-screen.js';
import { DetectScreen } from './screens/detect-screen.js';
import { DoneScreen } from './screens/done-screen.js';
import { MonitorScreen } from './screens/monitor-screen.js';
import { PreviewScreen } from './screens/preview-screen.js';
import { useApp } from '../store/store-context.js';
import { useWindowSize } from './hooks/use-window-size.js';

const SCREEN_KEYS: Record<Screen, Record<string, Binding>> = { detect: DETECT, preview: PREVIEW, apply: {}, done: DONE, monitor: MONITOR };
const TITLES: Record<Screen, string> = { detect: '1 detect', preview: '2 preview', apply: '3 apply', done: '4 done', monitor: 'monitor' };

export function App({ hostname }: { readonly hostname: string }) {
  const { exit } = useInkApp();
  const { columns, rows } = useWindowSize();
  const screen = useApp((s) => s.screen);
  const help = useApp((s) => s.help);
  const confirm = useApp((s) => s.confirm);
  const result = useApp((s) => s.result);
  const detection = useApp((s) => s.detection);
  const log = useApp((s) => s.log);
  const ring = useApp((s) => s.logRing);
  const programs = useApp((s) => s.monitor?.programs.length ?? 0);
  useApp((s) => s.monitor?.logVersion); // redraw when lines arrive (at most every 100 ms, batched in the store)
  const a = useApp((s) => s.actions);
  const [detectScroll, setDetectScroll] = useState(0);

  // Heights: header 1, hint bar 1, notice 1, confirm 3 when shown.
  const bodyHeight = Math.max(4, rows - 1 - 3 - (confirm ? 3 : 0));
  const logHeight = Math.max(2, bodyHeight - 6 - Math.max(1, programs));
  const window = screen === 'monitor' ? logWindow(ring, log, logHeight) : { lines: [], matches: [], total: 0 };

  const migrating = screen === 'apply' && !result;
  const quit = () => {
    if (migrating) {
      a.setConfirm({ message: 'A migration is running: quitting stops it half-way (kubesup-tui migrate resumes it). Quit?', run: () => exit() });
      return;
    }
    exit();
  };

  useInput((input, key) => {
    const k = keyName(input, key);
    if (confirm) {
      if (matches(CONFIRM.yes, k)) confirm.run();
      else if (matches(CONFIRM.no, k) || k === 'q') a.setConfirm(null);
      return;
    }
    if (log.typing) {
      if (k === 'enter') a.closeSearch(true), a.nextMatch(-1, window.matches);
      else if (k === 'escape') a.closeSearch(false);
      else if (k === 'backspace') a.eraseSearch();
      // Several characters can arrive in one read (a paste, a fast typist over SSH): take them all.
      else if (input && !key.ctrl && !key.meta && !/[\x00-\x1f]/.test(input)) a.typeSearch(input);
      return;
    }
    a.dismissNotice();
    if (matches(GLOBAL.quit, k)) return quit();
    if (matches(GLOBAL.help, k)) return a.toggleHelp();
    if (matches(GLOBAL.back, k)) return a.back();
    if (help) return;
    switch (screen) {
      case 'detect':
        if (matches(DETECT.next, k) && detection && !detection.refusal) void a.toPreview();
        else if (matches(DETECT.refresh, k)) void a.runDetect();
        else if (matches(DETECT.monitor, k)) a.startMonitor();
        else if (matches(DETECT.down, k)) setDetectScroll((s) => Math.min(s + 1, Math.max(0, (detection?.flags.length ?? 1) - 1)));
        else if (matches(DETECT.up, k)) setDetectScroll((s) => Math.max(0, s - 1));
        return;
      case 'preview':
        if (matches(PREVIEW.apply, k)) a.askApply();
        else if (matches(PREVIEW.nextTab, k)) a.setPreviewTab(1);
        else if (matches(PREVIEW.prevTab, k)) a.setPreviewTab(-1);
        else if (matches(PREVIEW.down, k)) a.scrollPreview(1);
        else if (matches(PREVIEW.up, k)) a.scrollPreview(-1);
        else if (matches(PREVIEW.pageDown, k)) a.scrollPreview(bodyHeight - 3);
        else if (matches(PREVIEW.pageUp, k)) a.scrollPreview(-(bodyHeight - 3));
        return;
      case 'done':
        if (matches(DONE.monitor, k)) a.startMonitor();
        return;
      case 'apply':
        if (result && !result.ok && k === 'enter') a.back();
        return;
      case 'monitor':
        if (matches(MONITOR.down, k)) a.select(1);
        else if (matches(MONITOR.up, k)) a.select(-1);
        else if (matches(MONITOR.restart, k)) a.askAction('restart');
        else if (matches(MONITOR.stop, k)) a.askAction('stop');
        else if (matches(MONITOR.start, k)) a.askAction('start');
        else if (matches(MONITOR.follow, k)) a.toggleFollow();
        else if (matches(MONITOR.search, k)) a.openSearch();
        else if (matches(MONITOR.nextMatch, k)) a.nextMatch(1, window.matches);
        else if (matches(MONITOR.prevMatch, k)) a.nextMatch(-1, window.matches);
        else if (matches(MONITOR.level, k)) a.setMinSeverity(nextLevel(log.minSeverity));
        else if (matches(MONITOR.logUp, k)) a.scrollLog(-(logHeight - 1));
        else if (matches(MONITOR.logDown, k)) a.scrollLog(logHeight - 1);
        else if (matches(MONITOR.logTop, k)) a.logTop();
        else if (matches(MONITOR.logBottom, k)) a.logBottom();
        return;
    }
  });

  const screenHints = confirm ? hints(CONFIRM) : log.typing ? ['type to search', '⏎ keep', 'esc cancel'] : [...hints(SCREEN_KEYS[screen]), ...hints(GLOBAL)];
  return (
    <Box flexDirection="column" width={columns}>
      <Header title={TITLES[screen]} right={hostname} width={columns} />
      {help ? (
        <HelpOverlay groups={[['everywhere', GLOBAL], [TITLES[screen], SCREEN_KEYS[screen]], ['dialogs', CONFIRM]]} />
      ) : screen === 'detect' ? (
        <DetectScreen width={columns} height={bodyHeight} scroll={detectScroll} />
      ) : screen === 'preview' ? (
        <PreviewScreen width={columns} height={bodyHeight} />
      ) : screen === 'apply' ? (
        <ApplyScreen />
      ) : screen === 'done' ? (
        <DoneScreen />
      ) : (
        <MonitorScreen width={columns} height={bodyHeight} window={window} logHeight={logHeight} />
      )}
      <ConfirmBar />
      <NoticeLine />
      {log.typing ? <HintBar hints={[`/${log.query}█`]} width={columns} /> : null}
      <HintBar hints={screenHints} width={columns} />
    </Box>
  );
}

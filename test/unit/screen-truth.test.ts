// The one check that keeps a false line out of the README's pictures and the TUI's samples: it must reject
// the false screens people saw (issue #25) and accept the true ones.
import { describe, expect, it } from 'vitest';
import { falseLines } from '../helpers/screen-truth.js';

const top = (health: string) =>
  [
    'kubesup-tui · monitor                                                                          node4',
    'supervisord RUNNING pid 191 · unix:///var/run/supervisor/supervisor.sock',
    `kubelet healthz ${health} · http://127.0.0.1:10248/healthz`,
    '  PROGRAM                           STATE     PID      UPTIME      RESTARTS LAST EXIT',
  ].join('\n');
const row = (state: string, pid: string) =>
  `› kubelet                           ${state.padEnd(9)} ${pid.padEnd(8)} 6s          1        21:07:06 SIGKILL`;
const exporter = '  node-exporter                     RUNNING   242      8s          0        -';
const screen = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('falseLines', () => {
  it('accepts true screens: running with its own figures, dead with its last ones, waiting apart from its pid', () => {
    expect(falseLines(screen(top('ok 1 ms'), row('RUNNING', '355'), exporter, 'kubelet pid 355 · cpu 0.5%'))).toEqual(
      [],
    );
    const dead = 'kubelet pid 355 ended SIGKILL · 0s before it: cpu 0.5% · 1.0 GiB resident · now EXITED';
    expect(falseLines(screen(top('UNREACHABLE: refused (last ok 2s ago)'), row('EXITED', '-'), dead))).toEqual([]);
    const again = 'kubelet pid 355 ended SIGKILL · 0s before it: cpu 0.5% · now pid 361, no figures yet';
    expect(falseLines(screen(top('ok 2 ms'), row('RUNNING', '361'), again))).toEqual([]);
    expect(falseLines(screen(top('ok 2 ms'), row('WAITING 3s', '517')))).toEqual([]);
  });

  it('rejects "not running" beside RUNNING, as the first README picture had it', () => {
    expect(falseLines(screen(top('ok 3 ms'), row('RUNNING', '361'), exporter, 'kubelet: not running'))).toEqual([
      `"kubelet: not running" beside kubelet's RUNNING row`,
    ]);
    expect(falseLines(screen(top('ok 3 ms'), row('RUNNING', '361'), 'kubelet: no process (EXITED)'))).toHaveLength(1);
  });

  it("rejects another pid's figures under a RUNNING row, live or as the one that runs now", () => {
    expect(falseLines(screen(top('ok 3 ms'), row('RUNNING', '361'), 'kubelet pid 355 · cpu 1.0%'))).toEqual([
      'figures of pid 355 beside RUNNING pid 361',
    ]);
    const stale = 'kubelet pid 300 ended SIGKILL · 0s before it: cpu 0.5% · now pid 355, no figures yet';
    expect(falseLines(screen(top('ok 3 ms'), row('RUNNING', '361'), stale))).toEqual([
      '"now pid 355" beside RUNNING pid 361',
    ]);
  });

  it("rejects a frame drawn over another: the last frame's row left standing, or the title scrolled away", () => {
    const [title, state, ...rest] = top('ok 3 ms').split('\n');
    const stale = [title, 'connecting to supervisord…', state, ...rest].join('\n');
    expect(falseLines(screen(stale, row('RUNNING', '361')))).toEqual(['"connecting to supervisord" beside its state']);
    expect(falseLines(screen([state, ...rest].join('\n'), row('RUNNING', '361')))).toEqual([
      `the frame's title is not on top: "${state}"`,
    ]);
  });

  it('rejects a countdown glued to the pid', () => {
    expect(falseLines(screen(top('ok 3 ms'), '› kubelet                           WAITING 3s517  -'))).toEqual([
      '"WAITING 3s517": the countdown glued to the pid',
    ]);
  });

  it('rejects a stale health shown as current: healthz ok, or live figures, beside a dead row', () => {
    expect(falseLines(screen(top('ok 3 ms'), row('EXITED', '-'), exporter))).toEqual([
      `"kubelet healthz ok" beside kubelet's EXITED row`,
    ]);
    expect(falseLines(screen(top('REFUSED: x'), row('BACKOFF', '-'), 'kubelet pid 355 · cpu 1.0%'))).toEqual([
      "live figures of pid 355 beside kubelet's BACKOFF row",
    ]);
    // The log has seen the restart the row has not (the crash picture first drawn for issue #25 had it).
    const log = ['── 21:07:06 kubelet ended: SIGKILL (ran 13s) ──', '── 21:07:06 kubelet started: pid 471 ──'];
    expect(falseLines(screen(top('REFUSED: x'), row('EXITED', '-'), ...log))).toEqual([
      `"── 21:07:06 kubelet started: pid 471" in the log beside kubelet's EXITED row`,
    ]);
    expect(falseLines(screen(top('REFUSED: x'), row('EXITED', '-'), ...log.slice(0, 1)))).toEqual([]);
    expect(falseLines(screen(top('REFUSED: x'), row('EXITED', '-'), ...log.reverse()))).toEqual([]);
  });
});

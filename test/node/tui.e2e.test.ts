// The real thing, driven through tmux in the reference node as a person would: the wizard from start to
// the monitor on a clean full screen; kubelet growing past kubelet's memory threshold, then a memory hog in
// its cgroup and the kernel's OOM killer (memory-pressure.ts): the memory and the crash on screen, in the
// history strip and the exit list; q gives the terminal back with what was done.
import { afterAll, describe, expect, it } from 'vitest';
import { kubesupArgv } from '../helpers/cli-in-node.js';
import { falseLines } from '../helpers/screen-truth.js';
import { TmuxSession } from '../helpers/tmux.js';
import { cannotRun, requirePackage, skipTestNode, skipWithout, withTestNode } from '../helpers/with-test-node.js';
import { MemoryPressure, missingMemoryCgroup } from './memory-pressure.js';
import { TestNode } from './test-node.js';

/**
 * The screen sampled every 0.2 s for `ms`: no sample has a false line (screen-truth.ts: kubelet said to have
 * no process beside its RUNNING row, another pid's figures under its name, a WAITING countdown glued to the pid,
 * a stale healthz or row).
 */
async function neverFalse(tui: TmuxSession, ms: number): Promise<number> {
  let samples = 0;
  for (const until = Date.now() + ms; Date.now() < until; samples++) {
    const s = tui.capture();
    expect(falseLines(s), s).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
  }
  return samples;
}

const TMUX = skipWithout({ tmux: 'tmux' }) ?? requirePackage(missingMemoryCgroup());
/** How the kill reads: kubesup-agent tells the OOM kill by the kernel's record (the cgroup's oom_kill count). */
const KILLED = 'OOM-killed';

describe.skipIf(cannotRun('the TUI over a terminal', TMUX))('the TUI over a terminal, on the reference node', () => {
  let tui: TmuxSession;
  let pressure: MemoryPressure;
  const node = withTestNode('kubekey-centos7', async (node) => {
    await node.waitFor('test -S /var/run/supervisor/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
    // kubelet's memory threshold just under what the node has free, before the monitor reads it.
    pressure = await MemoryPressure.prepare(node);
    // supervisord in its memory cgroup before the migration: kubelet is born there, as under supervisord.service.
    await pressure.confine();
    tui = new TmuxSession(node.enterArgv(['env', 'TERM=xterm-256color', ...kubesupArgv()]), { columns: 100, rows: 30 });
  });
  afterAll(async () => {
    tui?.kill();
    await pressure?.release();
  });

  it('wizard: detect, preview, apply, done, then the monitor; a crash shows up on screen', async () => {
    let s = await tui.waitFor((x) => x.includes('running, pid') && x.includes('1 detect'), 'the detect screen');
    expect(s).toContain('migrated    no; the program will go to /etc/supervisord.d/kubelet.ini');
    tui.send('Enter');
    s = await tui.waitFor((x) => x.includes('2 preview'), 'the preview');
    expect(s).toContain('#!/bin/bash');
    tui.send('Enter');
    await tui.waitFor((x) => x.includes('[y/N]'), 'the confirmation');
    tui.send('y');
    s = await tui.waitFor((x) => x.includes('4 done'), 'the done screen', 60_000);
    expect(s).toMatch(/healthz gap: \d+ ms/);
    tui.send('Enter');
    s = await tui.waitFor((x) => /› kubelet\s+RUNNING\s+\d+/.test(x), 'kubelet RUNNING in the monitor');
    // A clean full screen: the monitor from the first row, nothing of the wizard left above or below it.
    expect(s.split('\n')[0]).toMatch(/^kubesup-tui · monitor/);
    expect(s).not.toContain('4 done');
    const pid = Number(/› kubelet\s+RUNNING\s+(\d+)/.exec(s)![1]);
    expect(s).toMatch(/node-exporter\s+RUNNING/);
    expect(await neverFalse(tui, 5000)).toBeGreaterThan(15);

    // kubelet grows: its memory beside the node's, the node's below kubelet's threshold.
    await pressure.growKubelet();
    s = await tui.waitFor(
      (x) => /kubelet pid \d+ · cpu [\d.]+% · [\d.]+ GiB resident/.test(x) && /\) OVER/.test(x),
      "kubelet's memory, the node's below the threshold",
      20_000,
    );
    // At 100 columns the node's line in its short form: memory, pressure and load all there.
    const threshold = `${pressure.plan.thresholdGiB} GiB`;
    expect(s).toMatch(
      new RegExp(`mem [\\d.]+ GiB free \\(evicts <${threshold}\\) OVER · (psi cpu \\d+%|no psi).* · load`),
    );

    // A memory hog fills kubelet's cgroup: the kernel's OOM killer kills kubelet, the largest in it.
    await pressure.startHog();
    const killedAt = Date.now();
    // Through the death and the restart, sampled every 0.2 s while the crash is awaited: never a false line.
    const sampled = neverFalse(tui, 15_000);
    s = await tui.waitFor(
      (x) => new RegExp(`› kubelet\\s+\\S+\\s+\\S+\\s+\\S+\\s+1\\s+\\d\\d:\\d\\d:\\d\\d ${KILLED}`).test(x),
      'the restart counted as an OOM kill',
      30_000,
    );
    const shownAfter = Date.now() - killedAt;
    await sampled;
    expect(pressure.oomKills()).toBe(1);
    console.info(`the crash showed on screen ${shownAfter} ms after the hog started`);
    s = await tui.waitFor(
      (x) => /› kubelet\s+RUNNING\s+(\d+)/.test(x) && Number(/› kubelet\s+RUNNING\s+(\d+)/.exec(x)![1]) !== pid,
      'kubelet RUNNING again with a new pid',
    );
    expect(s).toMatch(/kubelet: 1 restart counted by kubesup-agent · last hour ·+X/);
    // Its uptime to the second in its first minute, as supervisorctl says it: supervisorctl's answer lies
    // between the screen just before it and the screen just after it (a loaded machine takes its time).
    const onScreen = () => Number(/› kubelet\s+RUNNING\s+\d+\s+(\d+)s\s/.exec(tui.capture())?.[1]);
    const before = onScreen();
    const said = await node.sh('supervisorctl -c /etc/supervisord.conf status kubelet');
    const after = onScreen();
    const [, mm, ss] = /uptime 0:(\d\d):(\d\d)/.exec(said) ?? [];
    const uptime = Number(mm) * 60 + Number(ss);
    expect(uptime, `${before} ${said} ${after}`).toBeGreaterThanOrEqual(before);
    expect(uptime, `${before} ${said} ${after}`).toBeLessThanOrEqual(after + 1);
    // The node panel follows the new process at once, not the dead one.
    const newPid = Number(/› kubelet\s+RUNNING\s+(\d+)/.exec(s)![1]);
    await tui.waitFor((x) => x.includes(`kubelet pid ${newPid} ·`), "the new kubelet's figures", 3000);
    tui.send('h');
    s = await tui.waitFor((x) => x.includes('exits, newest first'), 'the exit list');
    expect(s).toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d {2}ran \\d+(s|m \\d\\ds), then ${KILLED}`));

    // A smaller terminal, then a larger one: the frame follows, nothing wraps, the header stays on top.
    tui.send('h');
    for (const [columns, rows] of [
      [80, 24],
      [120, 40],
    ] as const) {
      tui.resize(columns, rows);
      s = await tui.waitFor(
        (x) => x.split('\n')[0]?.trimEnd().endsWith('node4') === true && x.split('\n')[0]!.length >= columns - 1,
        `the monitor redrawn at ${columns}x${rows}`,
      );
      const lines = s.replace(/\n+$/, '').split('\n');
      expect(lines[0]).toMatch(/^kubesup-tui · monitor/);
      expect(lines.length).toBeLessThanOrEqual(rows);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(columns);
      expect(s).toMatch(/› kubelet\s+RUNNING/);
      // Never dropped at any size: the last exit, and the keys to get help and to quit.
      expect(s).toMatch(/LAST EXIT/);
      expect(s).toMatch(new RegExp(`› kubelet .* \\d\\d:\\d\\d:\\d\\d ${KILLED}`));
      expect(s).toMatch(/\? help {2}q quit\s*$/m);
    }

    // r from the monitor: a line of its own in the log, in LAST EXIT and in h as yours, in the summary.
    tui.send('r');
    await tui.waitFor((x) => x.includes('[y/N]'), 'the restart question');
    tui.send('y');
    await tui.waitFor((x) => x.includes('✓ kubelet: restarted'), 'the restart done', 60_000);
    s = await tui.waitFor((x) => /› kubelet .* \d\d:\d\d:\d\d restarted by you/.test(x), 'LAST EXIT as yours');
    await tui.waitFor(
      (x) => /── \d\d:\d\d:\d\d kubelet (ended: restarted by you|started: pid)/.test(x),
      'the log marks',
    );
    tui.send('h');
    s = await tui.waitFor((x) => x.includes('exits, newest first'), 'the exit list');
    expect(s).toMatch(/\d\d:\d\d:\d\d {2}ran \d+(s|m \d\ds), then restarted by you/);
    // Each key answered before the next: two keys in one read of the terminal are not two keys to the TUI.
    tui.send('h');
    await tui.waitFor((x) => x.includes('── kubelet log'), 'the log again');

    // q: the shell's screen back as it was, with what the session did to the node.
    tui.send('q');
    s = await tui.waitFor((x) => x.includes('[exit 0]'), 'kubesup-tui exiting with 0');
    expect(s).toContain('kubesup-tui: kubelet runs under supervisord as [program:kubelet]');
    expect(s).toMatch(/✓ \[\d+\/\d+\] verify/);
    expect(s).toContain('undo: kubesup-tui rollback --yes');
    expect(s).toMatch(/kubesup-tui: asked from the monitor:\s+✓ \d\d:\d\d:\d\d kubelet: restarted/);
    expect(s).not.toContain('PROGRAM');
  });
});

describe.skipIf(cannotRun('NO_COLOR', TMUX ?? skipTestNode('3.4.0')))('NO_COLOR', () => {
  it('the monitor draws no colour at all, and still reads: states and severities are words', async () => {
    const node = await TestNode.up('kubekey-centos7');
    const tui = new TmuxSession(
      node.enterArgv(['env', 'TERM=xterm-256color', 'NO_COLOR=1', ...kubesupArgv('monitor')]),
      {
        columns: 100,
        rows: 30,
      },
    );
    try {
      await tui.waitFor((x) => /node-exporter\s+RUNNING/.test(x), 'the monitor');
      const screen = tui.capture(true);
      // Every SGR sequence tmux reports for the cells: none may set a foreground or background colour.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the colour escapes are what is counted
      const colours = [...screen.matchAll(/\u001b\[([0-9;]*)m/g)]
        .flatMap((m) => (m[1] ?? '').split(';'))
        .filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p));
      expect(colours).toEqual([]);
      expect(screen).toContain('RUNNING');
    } finally {
      tui.kill();
      await node.down();
    }
  });
});

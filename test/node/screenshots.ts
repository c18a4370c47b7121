/**
 * `npm run screenshots`: pictures of each screen from a real run in the reference node, driven through tmux
 * as a person would, and the whole run as an asciinema cast.
 *
 * Each picture is the tmux capture played into a terminal emulator and drawn cell by cell (PNG), kept with
 * the capture itself (.ansi) and its text (.txt): test/unit/screenshots.test.ts checks that they agree.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { toAsciicast } from '../helpers/asciicast.js';
import { kubesupArgv } from '../helpers/cli-in-node.js';
import { falseLines } from '../helpers/screen-truth.js';
import { FONT_FILES, playCapture, screenSvg, screenText, svgToPng } from '../helpers/terminal-picture.js';
import { TmuxSession } from '../helpers/tmux.js';
import { MemoryPressure } from './memory-pressure.js';
import { ensurePrerequisites } from './prerequisites.js';
import { REPO_ROOT, TestNode } from './test-node.js';

const OUT = path.join(REPO_ROOT, 'screenshots');
const SIZE = { columns: 100, rows: 30 };

async function save(tui: TmuxSession, name: string): Promise<void> {
  const ansi = tui.capture(true);
  const plain = `${tui.capture().replace(/\s+$/, '')}\n`;
  const term = await playCapture(ansi, SIZE.columns, SIZE.rows);
  const drawn = screenText(term);
  if (drawn !== plain) throw new Error(`${name}: the picture's text differs from the screen's`);
  // A picture is of a true screen: no line of it contradicts another.
  const wrong = falseLines(plain);
  if (wrong.length) throw new Error(`${name}: a false line on screen: ${wrong.join('; ')}`);
  fs.writeFileSync(path.join(OUT, `${name}.ansi`), ansi);
  fs.writeFileSync(path.join(OUT, `${name}.txt`), plain);
  fs.writeFileSync(path.join(OUT, `${name}.png`), svgToPng(screenSvg(term)));
  process.stderr.write(`screenshots/${name}.png\n`);
}

async function main(): Promise<void> {
  ensurePrerequisites();
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (/\.(svg|png|ansi|txt|cast)$/.test(f)) fs.rmSync(path.join(OUT, f));
  const node = await TestNode.up('kubekey-centos7');
  // The session is recorded as the terminal gets it, for the cast (in /run: the node's own tmpfs).
  const command = ['env', 'TERM=xterm-256color', ...kubesupArgv()].join(' ');
  const tui = new TmuxSession(
    node.enterArgv(['script', '-q', '--log-out', '/run/cast.out', '--log-timing', '/run/cast.tim', '-c', command]),
    SIZE,
  );
  let pressure: MemoryPressure | undefined;
  try {
    await node.waitFor('test -S /var/run/supervisor/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
    // kubelet's memory threshold just under what the node has free, before the monitor reads it.
    pressure = await MemoryPressure.prepare(node);
    await pressure.confine();
    process.stderr.write(`memory pressure: ${JSON.stringify(pressure.plan)}\n`);
    await tui.waitFor((x) => x.includes('running, pid') && x.includes('1 detect'), 'detect');
    await save(tui, '1-detect');
    tui.send('Enter');
    await tui.waitFor((x) => x.includes('2 preview'), 'preview');
    await save(tui, '2-preview-wrapper');
    tui.send('Tab');
    await tui.waitFor((x) => x.includes('[program:kubelet]'), 'the program file');
    await save(tui, '3-preview-program');
    tui.send('Enter');
    await tui.waitFor((x) => x.includes('[y/N]'), 'confirmation');
    await save(tui, '4-confirm');
    tui.send('y');
    await tui.waitFor((x) => x.includes('4 done'), 'done', 60_000);
    await save(tui, '5-applied');
    tui.send('Enter');
    await tui.waitFor(
      (x) => /› kubelet\s+RUNNING/.test(x) && x.includes('line=') && x.includes('resident'),
      'the monitor',
    );
    await save(tui, '6-monitor');
    // kubelet grows past what the node can spare, then a memory hog fills their cgroup: the OOM killer.
    await pressure.growKubelet();
    await tui.waitFor((x) => /GiB resident/.test(x) && /\) OVER/.test(x), "kubelet's memory, the node's", 20_000);
    await pressure.startHog();
    await tui.waitFor(
      (x) =>
        /› kubelet\s+\S+\s+\S+\s+\S+\s+1\s+\d\d:\d\d:\d\d OOM-killed/.test(x) &&
        /kubelet ended: SIGKILL/.test(x) &&
        /counted by kubesup-agent/.test(x) &&
        falseLines(x).length === 0,
      'the crash, marked in the log, on a screen true in every line',
      30_000,
    );
    if (pressure.oomKills() < 1) throw new Error('kubelet died, but not by the OOM killer');
    await save(tui, '7-monitor-crash');
    await tui.waitFor((x) => /› kubelet\s+RUNNING/.test(x) && x.includes('healthz ok'), 'the recovery');
    tui.send('h');
    await tui.waitFor((x) => x.includes('exits, newest first'), 'the exit list');
    await save(tui, '8-monitor-exits');
    tui.send('h');
    // Each key once the screen has taken the one before it: keys sent together may land in one read.
    await tui.waitFor((x) => !x.includes('exits, newest first'), 'the exit list closed');
    tui.send('/');
    await tui.waitFor((x) => x.includes('type to search'), 'the search prompt');
    tui.send('Sync', true);
    await tui.waitFor((x) => x.includes('/Sync'), 'the search typed');
    tui.send('Enter');
    await tui.waitFor((x) => x.includes('"Sync"'), 'the search');
    tui.send('l');
    await tui.waitFor((x) => x.includes('level ≥ warning'), 'the filter');
    await save(tui, '9-monitor-search-filter');
    tui.send('?');
    await tui.waitFor((x) => x.includes('Keys'), 'help');
    await save(tui, '10-help');
    tui.send('Escape');
    await tui.waitFor((x) => !x.includes('Keys'), 'help closed');
    tui.send('q');
    await tui.waitFor((x) => x.includes('[exit 0]'), 'the summary on the shell screen');
    const out = fs.readFileSync(node.hostPath('/run/cast.out'));
    const timing = fs.readFileSync(node.hostPath('/run/cast.tim'), 'utf8');
    const cast = toAsciicast(out, timing, SIZE.columns, SIZE.rows, 'kubesup-tui: migrate kubelet, then a crash');
    fs.writeFileSync(path.join(OUT, 'session.cast'), cast);
    // Which font drew them: their test compares bytes only under the same one.
    const font = crypto.createHash('sha256').update(Buffer.concat(FONT_FILES.map((f) => fs.readFileSync(f))));
    fs.writeFileSync(path.join(OUT, 'FONT.sha256'), `${font.digest('hex')}\n`);
    process.stderr.write('screenshots/session.cast\n');
  } finally {
    tui.kill();
    await node.down();
    await pressure?.release();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`screenshots: ${error.message}\n`);
  process.exit(1);
});

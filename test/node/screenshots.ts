/**
 * `npm run screenshots`: pictures of each screen from a real run in the reference node, driven through tmux
 * as a person would, captured with their colours and written as SVG into screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import ansiToSvg from 'ansi-to-svg';
import { kubesupArgv } from '../helpers/cli-in-node.js';
import { TmuxSession } from '../helpers/tmux.js';
import { ensurePrerequisites } from './prerequisites.js';
import { REPO_ROOT, TestNode } from './test-node.js';

const OUT = path.join(REPO_ROOT, 'screenshots');

function save(tui: TmuxSession, name: string): void {
  // tmux leaves trailing blank lines; a picture of them says nothing.
  const screen = tui.capture(true).replace(/(\n\s*)+$/, '\n');
  const svg = ansiToSvg(screen, {
    paddingTop: 8,
    paddingBottom: 8,
    paddingLeft: 8,
    paddingRight: 8,
    colors: { backgroundColor: '#101418' },
  });
  // Every text gets its colour itself (some SVG renderers do not inherit the group's fill), and runs of
  // spaces are kept (columns line up only if they are).
  const fixed = svg
    .replace(/<text (?![^>]*fill=)/g, '<text fill="#D3D3D3" ')
    .replace('<svg ', '<svg xml:space="preserve" ');
  fs.writeFileSync(path.join(OUT, `${name}.svg`), fixed);
  process.stderr.write(`screenshots/${name}.svg\n`);
}

async function main(): Promise<void> {
  ensurePrerequisites();
  fs.mkdirSync(OUT, { recursive: true });
  const node = await TestNode.up('kubekey-centos7');
  const tui = new TmuxSession(node.enterArgv(['env', 'TERM=xterm-256color', ...kubesupArgv()]), {
    columns: 100,
    rows: 30,
  });
  try {
    await node.waitFor('test -S /var/run/supervisor/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
    await tui.waitFor((x) => x.includes('running, pid') && x.includes('1 detect'), 'detect');
    save(tui, '1-detect');
    tui.send('Enter');
    await tui.waitFor((x) => x.includes('2 preview'), 'preview');
    save(tui, '2-preview-wrapper');
    tui.send('Tab');
    await tui.waitFor((x) => x.includes('[program:kubelet]'), 'the program file');
    save(tui, '3-preview-program');
    tui.send('Enter');
    await tui.waitFor((x) => x.includes('[y/N]'), 'confirmation');
    save(tui, '4-confirm');
    tui.send('y');
    await tui.waitFor((x) => x.includes('4 done'), 'done', 60_000);
    save(tui, '5-applied');
    tui.send('Enter');
    const s = await tui.waitFor((x) => /› kubelet\s+RUNNING/.test(x) && x.includes('line='), 'the monitor');
    save(tui, '6-monitor');
    const pid = /› kubelet\s+RUNNING\s+(\d+)/.exec(s)?.[1];
    await node.sh(`kill -9 ${pid}`);
    await tui.waitFor((x) => /FAILING|UNREACHABLE/.test(x) || /kubelet\s+(STARTING|BACKOFF)/.test(x), 'the crash');
    save(tui, '7-monitor-crash');
    await tui.waitFor((x) => /› kubelet\s+RUNNING/.test(x) && x.includes('healthz ok'), 'the recovery');
    tui.send('/');
    tui.send('Sync', true);
    tui.send('Enter');
    tui.send('l');
    await tui.waitFor((x) => x.includes('level ≥ warning'), 'the filter');
    save(tui, '8-monitor-search-filter');
    tui.send('?');
    await tui.waitFor((x) => x.includes('Keys'), 'help');
    save(tui, '9-help');
    tui.send('Escape');
    tui.send('q');
  } finally {
    tui.kill();
    await node.down();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`screenshots: ${error.message}\n`);
  process.exit(1);
});

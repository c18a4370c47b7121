/**
 * `npm run bench`: kubesup-tui's speed and cost, measured on the test node, each comparison run side by side
 * (the two sides alternating, several runs each). Prints a table of medians (min-max) and the ratio against
 * each target, and writes it to BENCHMARKS.md. Timings on a shared machine are noisy: read medians and
 * ranges, never a single run. See bench/README.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, STANDALONE } from '../test/helpers/cli-in-node.js';
import { TmuxSession } from '../test/helpers/tmux.js';
import { ensurePrerequisites } from '../test/node/prerequisites.js';
import { REPO_ROOT, type TestNode } from '../test/node/test-node.js';
import { CLEAN_ENV, fmt, nodeReady, notes, ONLY, part, QUICK, RUNS, row, rows, stats, timeExec } from './common.js';
import { benchFleet } from './fleet.js';
import { benchHandover } from './handover.js';
import { BUILDS, benchMonitor } from './monitor.js';
import { benchResident } from './resident.js';

// 1. What `npx kubesup-tui` downloads and unpacks.
function benchPackage(): void {
  process.stderr.write('package\n');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-bench-pack-'));
  try {
    // --ignore-scripts: prepack would rebuild dist/ and so delete the single files built above.
    const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const info = JSON.parse(out)[0] as { filename: string; size: number; unpackedSize: number; entryCount: number };
    row(
      'packed tarball',
      `${(info.size / 1e6).toFixed(2)} MB, ${info.entryCount} files`,
      '< 1.5 MB',
      info.size < 1.5e6,
    );
    row('unpacked', `${(info.unpackedSize / 1e6).toFixed(2)} MB`, '< 3 MB', info.unpackedSize < 3e6);
    for (const arch of ['x64', 'arm64']) {
      const file = path.join(REPO_ROOT, `dist/standalone/kubesup-tui-linux-${arch}`);
      row(
        `single file kubesup-tui-linux-${arch}`,
        `${(fs.statSync(file).size / 1e6).toFixed(1)} MB`,
        'runtime included',
        null,
      );
    }
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const prefix = path.join(work, `prefix-${i}`);
      const t = performance.now();
      execFileSync(
        'npm',
        [
          'install',
          '-g',
          '--silent',
          '--offline',
          '--no-audit',
          '--no-fund',
          '--prefix',
          prefix,
          path.join(work, info.filename),
        ],
        { stdio: 'ignore' },
      );
      times.push(performance.now() - t);
    }
    row(
      'install of the tarball into an empty prefix (npm, offline)',
      fmt(times, 'ms'),
      'no runtime dependencies',
      true,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// 2. Start: status --json against supervisorctl status, alternating; the TUI's first frame.
async function benchStart(node: TestNode): Promise<number> {
  process.stderr.write('start\n');
  const ours: number[] = [];
  const single: number[] = [];
  const theirs: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const a = await timeExec(node, ['supervisorctl', '-c', '/etc/supervisord.conf', 'status']);
    const b = await timeExec(node, ['node', BIN, 'status', '--json']);
    const d = await timeExec(node, [STANDALONE, 'status', '--json']);
    const c = await timeExec(node, ['node', '-e', '0']);
    // The first two runs warm the page cache.
    if (i >= 2) {
      theirs.push(a);
      ours.push(b);
      single.push(d);
      floor.push(c);
    }
  }
  const ratio = stats(ours).median / stats(theirs).median;
  const singleRatio = stats(single).median / stats(theirs).median;
  row('supervisorctl status', fmt(theirs, 'ms'), 'reference', null);
  row('kubesup-tui status --json (npm package)', fmt(ours, 'ms'), '<= 0.8x supervisorctl', ratio <= 0.8);
  row('  ratio to supervisorctl', `${ratio.toFixed(2)}x`, '<= 0.8x', ratio <= 0.8);
  row('kubesup-tui status --json (single file)', fmt(single, 'ms'), '<= 0.3x supervisorctl', singleRatio <= 0.3);
  row('  ratio to supervisorctl', `${singleRatio.toFixed(2)}x`, '<= 0.3x', singleRatio <= 0.3);
  row('node -e 0 (floor, same path through nsenter)', fmt(floor, 'ms'), 'reference', null);

  for (const [build, { command }] of Object.entries(BUILDS)) {
    const frames: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const argv = ['env', '-i', ...CLEAN_ENV.split(' '), 'TERM=xterm-256color', ...command.split(' '), 'monitor'];
      const tui = new TmuxSession(node.enterArgv(argv), { columns: 100, rows: 30 });
      try {
        // The first frame: the header, drawn before the TUI's code is loaded; then the programs, from supervisord.
        await tui.waitFor((x) => x.includes('kubesup-tui ·'), 'the first frame', 10_000, 5);
        frames.push(performance.now() - t);
        await tui.waitFor((x) => /node-exporter\s+RUNNING/.test(x), 'the programs', 10_000, 5);
        full.push(performance.now() - t);
      } finally {
        tui.kill();
      }
    }
    const fr = stats(frames).median / stats(theirs).median;
    row(`TUI first frame (tmux, polled every 5 ms), ${build}`, fmt(frames, 'ms'), '<= 1.2x supervisorctl', fr <= 1.2);
    row('  ratio to supervisorctl', `${fr.toFixed(2)}x`, '<= 1.2x', fr <= 1.2);
    row(`TUI with supervisord's programs on screen, ${build}`, fmt(full, 'ms'), 'reference', null);
  }
  return stats(theirs).median;
}

/** A probe inside the node: GET /healthz every 10 ms; the longest stretch without "ok". */
async function main(): Promise<void> {
  ensurePrerequisites();
  for (const script of ['build', 'build:standalone']) {
    if (spawnSync('npm', ['run', '--silent', script], { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0)
      throw new Error(`${script} failed`);
  }
  const started = new Date();
  if (part('package')) benchPackage();
  if (part('start')) {
    const node = await nodeReady();
    try {
      await benchStart(node);
    } finally {
      await node.down();
    }
  }
  if (part('handover')) await benchHandover();
  if (part('monitor')) {
    await benchMonitor('npm package');
    await benchMonitor('single file');
  }
  if (part('fleet')) await benchFleet();
  if (part('resident')) await benchResident();
  if (ONLY) return;

  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  const table = [
    '| measurement | result: median (min-max) | target | |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.what} | ${r.value} | ${r.target} | ${r.verdict} |`),
  ].join('\n');
  const when = started.toISOString().slice(0, 16).replace('T', ' ');
  const command = `npm run bench${QUICK ? ' -- --quick' : ''}`;
  const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const noteLines = notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : '';
  const text =
    `# Benchmarks\n\nMeasured ${when} UTC by \`${command}\` on ${machine}, ${RUNS} runs per side unless said. ` +
    `How to read it: bench/README.md.\n\n${table}\n${noteLines}`;
  process.stdout.write(`\n${table}\n`);
  // The hand-written analysis of misses is kept below the regenerated table.
  const analysis = path.join(REPO_ROOT, 'bench', 'analysis.md');
  fs.writeFileSync(
    path.join(REPO_ROOT, 'BENCHMARKS.md'),
    fs.existsSync(analysis) ? `${text}\n${fs.readFileSync(analysis, 'utf8')}` : text,
  );
  process.stderr.write('written to BENCHMARKS.md\n');
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exit(1);
});

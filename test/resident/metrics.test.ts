// The metrics file as a fleet reads it: accepted by promtool, served by Debian's node_exporter (textfile
// collector, run as a plain process), with kubelet's restart counter going up within a second or two.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, skipWithout } from '../helpers/with-test-node.js';
import { freePort, missingRelease, SupervisorNode, waitFor } from './helpers.js';

describe('the metrics file', () => {
  const skip = cannotRun('the metrics tests', missingRelease('debian'));
  const noPromtool = cannotRun('promtool check metrics', skipWithout({ promtool: 'prometheus' }));
  const noExporter = cannotRun(
    'node_exporter',
    skipWithout({ 'prometheus-node-exporter': 'prometheus-node-exporter' }),
  );
  let node: SupervisorNode;
  let exporter: ChildProcess | undefined;
  let url = '';
  beforeAll(async () => {
    if (skip) return;
    const healthz = { interval: 1, timeout: 1, failures: 3, grace: 5 };
    node = await SupervisorNode.start({ release: 'debian', program: { watchdogSec: 30, healthz } });
    if (noExporter) return;
    const port = await freePort();
    url = `http://127.0.0.1:${port}/metrics`;
    exporter = spawn(
      'prometheus-node-exporter',
      [
        '--collector.disable-defaults',
        '--collector.textfile',
        `--collector.textfile.directory=${node.textfile}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
  });
  afterAll(async () => {
    exporter?.kill();
    await node?.down();
  });

  async function exported(): Promise<string> {
    try {
      return await (await fetch(url)).text();
    } catch {
      return ''; // not listening yet
    }
  }

  it.skipIf(skip || noExporter)('node_exporter shows the restart counter at 1, 2, 3 after three kill -9', async () => {
    const counter = (text: string) =>
      Number(/^kubesup_program_restarts_total\{name="kubelet",reason="crashed"\} (\d+)$/m.exec(text)?.[1] ?? -1);
    let text = '';
    for (const n of [0, 1, 2, 3]) {
      if (n > 0) {
        await waitFor(
          () => node.metric('node_supervisord_state', '{name="kubelet",group="kubelet"}') === 20,
          'RUNNING',
        );
        process.kill(node.current() ?? 0, 'SIGKILL');
      }
      // A condition with a generous bound (a loaded machine), the time it took printed: bench/ measures it.
      const killed = Date.now();
      const deadline = killed + 15_000;
      for (text = await exported(); counter(text) !== n && Date.now() < deadline; text = await exported());
      expect(counter(text)).toBe(n);
      if (n > 0) console.log(`restart ${n}: node_exporter showed it ${Date.now() - killed} ms after the kill`);
    }
    expect(text).toMatch(/^node_supervisord_up 1$/m);
    expect(text).toMatch(/^kubesup_migrated_info\{program="kubelet",unit="kubelet.service"\} 1$/m);
    // node_exporter itself found nothing wrong with the file.
    expect(text).toMatch(/^node_textfile_scrape_error 0$/m);
  });

  it.skipIf(skip || noPromtool)('passes promtool check metrics, every family with HELP and TYPE', () => {
    const text = node.metricsText();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    const families = new Set(
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(/[{ ]/)[0]),
    );
    for (const family of families) {
      expect(text).toContain(`# HELP ${family} `);
      expect(text).toContain(`# TYPE ${family} `);
    }
    expect([...families].sort()).toEqual([
      'kubesup_healthz_up',
      'kubesup_migrated_info',
      'kubesup_program_restarts_total',
      'kubesup_watchdog_timeout_seconds',
      'node_supervisord_exit_status',
      'node_supervisord_start_time_seconds',
      'node_supervisord_state',
      'node_supervisord_up',
    ]);
  });
});

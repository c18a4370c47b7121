// The fleet's view of the node: the alert rules in deploy/prometheus/ and the .prom file they read. promtool
// (Debian's `prometheus` package) checks the rules, runs their unit tests and lints the example file; the
// checks that need no promtool (every alert tested both ways, the file's families and labels) always run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cannotRun, skipWithout } from '../helpers/with-test-node.js';
import { REPO_ROOT } from '../node/test-node.js';

const RULES = path.join(REPO_ROOT, 'deploy/prometheus/kubesup-alerts.yml');
const RULE_TESTS = path.join(REPO_ROOT, 'deploy/prometheus/kubesup-alerts.test.yml');
const METRICS = path.join(REPO_ROOT, 'test/fixtures/metrics/kubesup.prom');

/** The families the node publishes (the agent's format contract): type, and the labels of every sample. */
const FAMILIES: Record<string, { type: 'gauge' | 'counter'; labels: string[] }> = {
  node_supervisord_up: { type: 'gauge', labels: [] },
  node_supervisord_state: { type: 'gauge', labels: ['group', 'name'] },
  node_supervisord_exit_status: { type: 'gauge', labels: ['group', 'name'] },
  node_supervisord_start_time_seconds: { type: 'gauge', labels: ['group', 'name'] },
  kubesup_program_restarts_total: { type: 'counter', labels: ['name', 'reason'] },
  kubesup_healthz_up: { type: 'gauge', labels: ['name'] },
  kubesup_migrated_info: { type: 'gauge', labels: ['program', 'unit'] },
};
const REASONS = ['exited', 'crashed', 'oom_killed', 'hung_watchdog', 'hung_healthz', 'operator'];
/** node_exporter's own, about its textfile directory: the rules may read them though the file has none. */
const NODE_EXPORTER_OWN = ['node_textfile_scrape_error', 'node_textfile_mtime_seconds'];

interface Rule {
  alert?: string;
  expr: string;
}
interface RuleTest {
  alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
}
const rules = (): Rule[] =>
  (parse(fs.readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const alertNames = () => rules().flatMap((r) => (r.alert ? [r.alert] : []));

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
/** The text format's sample lines (`name{a="b"} value`), and its `# HELP` and `# TYPE` lines by family. */
function readMetrics(text: string) {
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.+)$/.exec(line);
    if (meta) (meta[1] === 'HELP' ? help : type).set(meta[2] as string, meta[3] as string);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels = Object.fromEntries(
      [...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    samples.push({ name: sample[1] as string, labels, value: Number(sample[3]) });
  }
  return { help, type, samples };
}

const promtool = (args: string[], input?: string) =>
  spawnSync('promtool', args, { encoding: 'utf8', input, timeout: 30_000 });

describe('the alert rules and their unit tests', () => {
  it('test every alert both ways: a case where it fires and one where it must not', () => {
    const cases = (parse(fs.readFileSync(RULE_TESTS, 'utf8')) as { tests: RuleTest[] }).tests.flatMap(
      (t) => t.alert_rule_test ?? [],
    );
    const untested = alertNames().flatMap((alert) => {
      const mine = cases.filter((c) => c.alertname === alert);
      const fires = mine.some((c) => (c.exp_alerts ?? []).length > 0);
      const quiet = mine.some((c) => (c.exp_alerts ?? []).length === 0);
      const missing = [fires ? '' : ' no case where it fires', quiet ? '' : ' no case where it must not'];
      return fires && quiet ? [] : [`${alert}:${missing.join('')}`];
    });
    expect(alertNames().length).toBeGreaterThanOrEqual(7);
    expect(untested).toEqual([]);
    // A test of an alert the file does not have would pass for nothing.
    expect(cases.map((c) => c.alertname).filter((a) => !alertNames().includes(a))).toEqual([]);
  });

  it('read only the families the node publishes, and node_exporter textfile metrics of its own', () => {
    const read = new Set(rules().flatMap((r) => r.expr.match(/\b(node_supervisord|kubesup|node_textfile)_\w+/g) ?? []));
    expect([...read].filter((name) => !(name in FAMILIES) && !NODE_EXPORTER_OWN.includes(name))).toEqual([]);
    expect(read).toContain('kubesup_program_restarts_total');
  });
});

describe('the example .prom file: the format the node agent writes', () => {
  const { help, type, samples } = readMetrics(fs.readFileSync(METRICS, 'utf8'));

  it('has every family, each with HELP, its TYPE and samples with exactly its labels', () => {
    for (const [family, want] of Object.entries(FAMILIES)) {
      expect(help.get(family), family).toMatch(/\w/);
      expect(type.get(family), family).toBe(want.type);
      const mine = samples.filter((s) => s.name === family);
      expect(mine.length, family).toBeGreaterThan(0);
      for (const s of mine) expect(Object.keys(s.labels).sort(), family).toEqual(want.labels);
    }
    expect(samples.filter((s) => !(s.name in FAMILIES))).toEqual([]);
  });

  it('has no series twice, and every restart reason of every counted program from 0 up', () => {
    const keys = samples.map((s) => `${s.name}${JSON.stringify(s.labels)}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    const restarts = samples.filter((s) => s.name === 'kubesup_program_restarts_total');
    for (const name of new Set(restarts.map((s) => s.labels.name)))
      expect(restarts.filter((s) => s.labels.name === name).map((s) => s.labels.reason)).toEqual(REASONS);
    expect(restarts.every((s) => Number.isInteger(s.value) && s.value >= 0)).toBe(true);
  });
});

const PROMTOOL = skipWithout({ promtool: 'prometheus' });

describe.skipIf(cannotRun('promtool on the alert rules', PROMTOOL))('promtool on the alert rules', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-alerts-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('check rules: the file is valid, with every alert in it', () => {
    const run = promtool(['check', 'rules', RULES]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`SUCCESS: ${rules().length} rules found`);
    expect(run.status).toBe(0);
  });

  it('test rules: every case passes', () => {
    const run = promtool(['test', 'rules', RULE_TESTS]);
    expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });

  it('test rules fails when a rule stops telling operator restarts apart (the cases have teeth)', () => {
    fs.copyFileSync(RULE_TESTS, path.join(scratch, 'kubesup-alerts.test.yml'));
    const counted = fs.readFileSync(RULES, 'utf8').replace('{reason!="operator"}', '');
    fs.writeFileSync(path.join(scratch, 'kubesup-alerts.yml'), counted);
    const run = promtool(['test', 'rules', path.join(scratch, 'kubesup-alerts.test.yml')]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('alertname: KubesupProgramFlapping');
  });

  it('check metrics: the example file passes the linter, and a family without HELP does not', () => {
    const text = fs.readFileSync(METRICS, 'utf8');
    const run = promtool(['check', 'metrics'], text);
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
    const helpless = promtool(['check', 'metrics'], text.replace(/^# HELP kubesup_healthz_up .*\n/m, ''));
    expect(helpless.stdout + helpless.stderr).toContain('kubesup_healthz_up no help text');
    expect(helpless.status).not.toBe(0);
  });
});

/** What the benchmarks share: the options, the table of results, statistics, and a ready test node. */
import { TestNode } from '../test/node/test-node.js';

export const QUICK = process.argv.includes('--quick');
/**
 * `--only=monitor` (or package, start, handover, fleet): one part, for working on it. BENCHMARKS.md is then
 * left alone.
 */
export const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
export const part = (name: string) => !ONLY || ONLY === name;
export const RUNS = QUICK ? 3 : 9;

export interface Row {
  readonly what: string;
  readonly value: string;
  readonly target: string;
  readonly verdict: string;
}
export const rows: Row[] = [];
export const notes: string[] = [];

export function stats(xs: number[]): { median: number; min: number; max: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: s[Math.floor((s.length - 1) / 2)] as number,
    min: s[0] as number,
    max: s.at(-1) as number,
    p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] as number,
  };
}
export const fmt = (xs: number[], unit: string, digits = 0) => {
  const s = stats(xs);
  return `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
};
export function row(what: string, value: string, target: string, ok: boolean | null): void {
  rows.push({ what, value, target, verdict: ok === null ? '' : ok ? 'met' : 'MISSED' });
  process.stderr.write(`  ${what}: ${value}  [target ${target}] ${ok === null ? '' : ok ? 'met' : 'MISSED'}\n`);
}
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function nodeReady(layout: 'kubekey-centos7' = 'kubekey-centos7'): Promise<TestNode> {
  const node = await TestNode.up(layout);
  await node.waitFor(
    'test -S /var/run/supervisor/supervisor.sock && curl -sf 127.0.0.1:10248/healthz && supervisorctl -c ' +
      '/etc/supervisord.conf status node-exporter | grep -q RUNNING',
    30_000,
  );
  return node;
}

/**
 * The environment every measured command gets: a node's root shell, not this machine's. (This machine sets
 * NODE_EXTRA_CA_CERTS, which makes every Node.js start read 200 KB of certificates: 40 ms no node pays.)
 */
export const CLEAN_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8';

export async function timeExec(node: TestNode, argv: string[]): Promise<number> {
  const t = performance.now();
  const r = await node.exec(['env', '-i', ...CLEAN_ENV.split(' '), ...argv]);
  if (r.exitCode > 3) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return performance.now() - t;
}

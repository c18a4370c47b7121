// What the real-daemon tests on real systemd read of a moved daemon: what it was given, the journal, its unit,
// and its READY=1 as kubesup-agent recorded it.
import { expect } from 'vitest';
import { kubesup } from '../helpers/cli-in-node.js';
import type { SystemdNode } from './systemd-node.js';

/** What systemd (or supervisord) gave the process: limits, OOM score, command line. */
export const runOf = (node: SystemdNode, pid: string) =>
  node.sh(`cat /proc/${pid}/limits /proc/${pid}/oom_score_adj; tr '\\0' '\\n' < /proc/${pid}/cmdline`);

/** Where the journal ends now: what comes after it is read with --after-cursor. */
export const cursorNow = async (node: SystemdNode) =>
  (await node.sh(`journalctl -n 1 --show-cursor --no-pager -o cat | sed -n 's/^-- cursor: //p'`)).trim();

export const active = async (node: SystemdNode, unit: string) =>
  (await node.exec(['systemctl', 'is-active', unit])).stdout.trim();

/** kubesup-agent recorded the READY=1 of `program`'s process now running (`pgrep -x`), as systemd waited for it. */
export async function saidReady(node: SystemdNode, program: string): Promise<void> {
  const pid = (await node.sh(`pgrep -x ${program}`)).trim();
  await node.waitFor(`grep -q '^{"pid":${pid},"time":' /run/kubesup-tui/ready/${program}`, 30_000);
  const status = await kubesup(node, ['status', '--json']);
  const row = (JSON.parse(status.stdout) as { programs: { name: string; pid: number; ready: boolean }[] }).programs;
  expect(row.find((p) => p.name === program)).toMatchObject({ pid: Number(pid), ready: true });
}

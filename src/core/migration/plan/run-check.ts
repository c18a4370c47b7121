/**
 * After the migration, the supervised process must run as systemd ran it: the same limits and OOM score as the
 * process systemd started (read before it was stopped) and the unit's environment. Compared from /proc, not
 * from the unit's text: the two differ where the host caps them.
 */
import { type ProcessRun, readProcessRun } from '../../detect/process-run.js';
import type { Host } from '../../host.js';
import type { Limit, LimitValue } from '../../systemd/run-settings.js';

export interface ExpectedRun {
  /** The carried limits at the values systemd's process had; empty when it did not run under systemd. */
  readonly limits: readonly {
    readonly setting: string;
    readonly resource: string;
    readonly soft: LimitValue;
    readonly hard: LimitValue;
  }[];
  /** The OOM score systemd's process had; null when it did not run under systemd. */
  readonly oomScoreAdj: number | null;
  /** The unit's environment (Environment=, EnvironmentFile=), which the wrapper exports. */
  readonly env: Readonly<Record<string, string>>;
}

/** What verify will check: only what systemd's own process showed, plus the unit's environment. */
export function expectedRun(
  running: { readonly managedBy: string; readonly run: ProcessRun } | null,
  carried: readonly Limit[],
  env: Readonly<Record<string, string>>,
): ExpectedRun {
  const before = running?.managedBy === 'systemd' ? running.run : null;
  return {
    limits: before?.limits ? carried.filter((l) => before.limits?.[l.resource]) : [],
    oomScoreAdj: before?.oomScoreAdj ?? null,
    env,
  };
}

/** What differs between the expected run and the process's; empty when it runs as systemd ran it. */
export async function runDifferences(host: Host, pid: number, expected: ExpectedRun): Promise<string[]> {
  const out: string[] = [];
  if (expected.limits.length || expected.oomScoreAdj !== null) {
    const now = await readProcessRun(host.files, pid);
    for (const l of expected.limits) {
      const got = now.limits?.[l.resource];
      if (!got || got.soft !== l.soft || got.hard !== l.hard)
        out.push(`${l.setting} is ${got ? `${got.soft}:${got.hard}` : 'unreadable'}, systemd gave ${l.soft}:${l.hard}`);
    }
    if (expected.oomScoreAdj !== null && now.oomScoreAdj !== expected.oomScoreAdj)
      out.push(`oom_score_adj is ${now.oomScoreAdj ?? 'unreadable'}, systemd gave ${expected.oomScoreAdj}`);
  }
  const env = (await host.procs.full(pid))?.environ;
  if (env) {
    for (const [name, value] of Object.entries(expected.env))
      if (env[name] !== value)
        out.push(`${name} is ${env[name] === undefined ? 'unset' : `"${env[name]}"`}, the unit sets "${value}"`);
  }
  return out;
}

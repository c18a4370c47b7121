/**
 * What systemd actually gave a running service process: its limits and OOM score, read before the migration
 * stops it. They are what the supervised process must get again; where they differ from the unit's text (a
 * host that caps limits, a unit edited since the process started), the process is right.
 */
import type { FileReader } from '../host.js';
import { type LimitValue, parseProcLimits, type RunSettings } from '../systemd/run-settings.js';

export interface ProcessRun {
  /** prlimit resource -> soft and hard; null when /proc/PID/limits could not be read. */
  readonly limits: Record<string, { readonly soft: LimitValue; readonly hard: LimitValue }> | null;
  readonly oomScoreAdj: number | null;
}

/** A service's process as found running, with what it was given (argv, environment, limits, OOM score). */
export interface RunningProcess {
  readonly pid: number;
  readonly argv: string[];
  readonly env: Record<string, string> | null;
  /** Who runs it: systemd, supervisord, or something kubesup-tui leaves alone. */
  readonly managedBy: string;
  /** Its limits and OOM score (read from /proc before anything stops it). */
  readonly run: ProcessRun;
}

export async function readProcessRun(files: FileReader, pid: number): Promise<ProcessRun> {
  const text = async (p: string) => (await files.read(p).catch(() => undefined))?.toString('utf8');
  const limitsText = await text(`/proc/${pid}/limits`);
  const oomText = await text(`/proc/${pid}/oom_score_adj`);
  const oom = oomText === undefined ? Number.NaN : Number(oomText.trim());
  return {
    limits: limitsText === undefined ? null : Object.fromEntries(parseProcLimits(limitsText)),
    oomScoreAdj: Number.isInteger(oom) ? oom : null,
  };
}

/** What the wrapper carries: the unit's settings, each limit at the value the running process had. */
export function carriedRun(
  run: RunSettings,
  unitOom: number,
  processRun: ProcessRun | null,
): { run: RunSettings; oomScoreAdjust: number } {
  const had = processRun?.limits;
  return {
    run: {
      ...run,
      limits: run.limits.map((l) => {
        const p = had?.[l.resource];
        return p ? { ...l, soft: p.soft, hard: p.hard } : l;
      }),
    },
    oomScoreAdjust: processRun?.oomScoreAdj ?? unitOom,
  };
}

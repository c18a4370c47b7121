/** `kubesup-tui status`: a one-shot look at supervisord's programs, their restarts, and kubelet's health. */
import { ToolError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import { driftWarning } from '../../core/migration/drift.js';
import { findInterruption, interruptionWarning } from '../../core/migration/session.js';
import { findMonitorTarget } from '../../core/monitor/connect.js';
import { MonitorEngine } from '../../core/monitor/engine.js';
import { buildStatusReport } from '../../core/monitor/status-report.js';
import { type CliOptions, supervisorOverrides } from '../args.js';
import { formatStatusReport } from '../format/status.js';

export async function runStatus(host: Host, options: CliOptions, out: (text: string) => void): Promise<number> {
  const { target, warnings } = await findMonitorTarget(host, supervisorOverrides(options));
  const engine = new MonitorEngine(host, target);
  try {
    await engine.pollOnce();
    await engine.checkHealth();
  } catch (error) {
    throw new ToolError(engine.current.problem ?? (error instanceof Error ? error.message : String(error)));
  } finally {
    engine.stop();
  }
  const interruption = await findInterruption(host);
  const drift = interruption ? null : await driftWarning(host.files, host.hostname);
  const nodeWarnings = [interruption ? interruptionWarning(interruption) : null, drift].filter((w) => w !== null);
  const report = buildStatusReport(engine.current, [...nodeWarnings, ...warnings]);
  out(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatusReport(report));
  // A node left half-migrated is the first thing to fix: it outranks a program that is down.
  if (interruption && interruption.runningPid === null) return 4;
  return report.programs.some((p) => p.state !== 'RUNNING' || p.waiting) ? 3 : 0;
}

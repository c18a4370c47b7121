/** `kubesup-tui status`: a one-shot look at supervisord's programs, their restarts, and kubelet's health. */
import { ToolError } from '../../core/errors.js';
import { driftWarning } from '../../core/migration/drift.js';
import { MonitorEngine } from '../../core/monitor/engine.js';
import { buildStatusReport, formatStatusReport } from '../../core/monitor/status-report.js';
import type { CliOptions } from '../args.js';
import type { Host } from '../host.js';
import { connectMonitor } from '../../core/monitor/connect.js';

export async function runStatus(host: Host, options: CliOptions, out: (text: string) => void): Promise<number> {
  const wiring = await connectMonitor(host, options);
  const engine = new MonitorEngine(wiring.deps);
  try {
    await engine.pollOnce();
    await engine.checkHealth();
  } catch (error) {
    throw new ToolError(engine.current.problem ?? (error instanceof Error ? error.message : String(error)));
  } finally {
    engine.stop();
  }
  const drift = await driftWarning(host.files, host.hostname);
  const report = buildStatusReport(engine.current, drift ? [...wiring.warnings, drift] : wiring.warnings);
  out(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatusReport(report));
  return report.programs.some((p) => p.state !== 'RUNNING') ? 3 : 0;
}

/** `kubesup-tui status`: a one-shot look at supervisord's programs, their restarts, and kubelet's health. */
import { ToolError } from '../../core/errors.js';
import type { Host } from '../../core/host.js';
import { findInterruption, interruptionWarning } from '../../core/migration/journal/interruption.js';
import { readJournal } from '../../core/migration/journal/journal.js';
import { readySince } from '../../core/migration/plan/agent-ready.js';
import { findMonitorTarget } from '../../core/monitor/connect.js';
import { MonitorEngine } from '../../core/monitor/engine.js';
import { uptimeSeconds } from '../../core/monitor/monitor-data.js';
import { movedServices, servicesHealth } from '../../core/monitor/moved-services.js';
import { NodeSampler } from '../../core/monitor/node-facts.js';
import { buildStatusReport } from '../../core/monitor/status-report.js';
import { escapeControls } from '../../core/text.js';
import { type CliOptions, supervisorOverrides } from '../args.js';
import { formatStatusReport } from '../format/status.js';

export async function runStatus(host: Host, options: CliOptions, out: (text: string) => void): Promise<number> {
  const { target, warnings } = await findMonitorTarget(host, supervisorOverrides(options));
  const engine = new MonitorEngine(host, target);
  // supervisord, kubelet and the node answer independently: all at once. All settle before the engine stops.
  const sampler = target.disks ? new NodeSampler(host.files, target.disks, target.eviction ?? {}) : null;
  const [poll, , sampled] = await Promise.allSettled([engine.pollOnce(), engine.checkHealth(), sampler?.node()]);
  engine.stop();
  if (poll.status === 'rejected') {
    const error = poll.reason;
    throw new ToolError(engine.current.problem ?? (error instanceof Error ? error.message : String(error)));
  }
  // kubelet's own process, when supervisord runs it.
  const kubelet = engine.current.programs.find((p) => p.name === 'kubelet' && p.pid > 0);
  const usage = sampler && kubelet ? await sampler.process(kubelet.pid, host.clock.now()).catch(() => null) : null;
  const node = sampled.status === 'fulfilled' ? (sampled.value ?? null) : null;
  const interruption = await findInterruption(host);
  // Drift is computed from the unit files only once a migration is recorded; its code is loaded only then.
  const journal = interruption ? null : await readJournal(host.files).catch(() => null);
  // The running kubelet as /proc has it (its executable is "... (deleted)" once a package replaced it).
  const running = kubelet ? await host.procs.full(kubelet.pid) : undefined;
  const drift =
    journal?.state === 'migrated'
      ? await (await import('../../core/migration/journal/drift.js')).driftWarnings(host.files, host.hostname, running)
      : [];
  const fallback =
    journal?.state === 'migrated'
      ? await (await import('../../core/migration/plan/start-line.js')).startLineWarning(
          host.files,
          journal.plan.program,
          journal.plan.service.unit,
        )
      : null;
  const nodeWarnings = [
    ...(interruption ? [interruptionWarning(interruption)] : []),
    ...(fallback ? [fallback] : []),
    ...drift,
  ];
  const moved = await movedServices(host);
  const uptime = (program: string) => {
    const p = engine.current.programs.find((x) => x.name === program);
    return p ? uptimeSeconds(p) : null;
  };
  const services = moved.length ? await servicesHealth(host, moved, uptime) : [];
  const ready = new Map<string, number | null>();
  for (const m of moved.filter((x) => x.notify)) {
    const pid = engine.current.programs.find((p) => p.name === m.program)?.pid ?? 0;
    ready.set(m.program, await readySince(host.files, m.program, pid));
  }
  const report = buildStatusReport({ ...engine.current, node, usage }, [...nodeWarnings, ...warnings], services, ready);
  out(options.json ? `${JSON.stringify(report, null, 2)}\n` : escapeControls(formatStatusReport(report)));
  // A node left half-migrated is the first thing to fix: it outranks a program that is down.
  if (interruption && interruption.runningPid === null) return 4;
  return report.programs.some((p) => p.state !== 'RUNNING' || p.waiting) ? 3 : 0;
}

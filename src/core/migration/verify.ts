/**
 * The last step: the migration holds only when the program is RUNNING past its start window, runs exactly the
 * detected command line, is the only kubelet, and kubelet answers healthz again.
 */
import type { Host } from '../host.js';
import { findKubeletProcesses } from '../kubelet/processes.js';
import type { GapMeter } from './gap-meter.js';
import type { Plan } from './plan.js';
import { runDifferences } from './run-check.js';
import { MigrationStepFailed, withSupervisor } from './supervisor-link.js';

export async function verifyMigration(host: Host, plan: Plan, gap: GapMeter, timeoutMs: number): Promise<string> {
  const until = host.clock.now() + timeoutMs;
  let why = '';
  const verdict = await withSupervisor(host, plan, async (supervisor) => {
    while (host.clock.now() < until) {
      const info = await supervisor.getProcessInfo(plan.program);
      if (info.state === 'FATAL' || info.state === 'STOPPED') {
        throw new MigrationStepFailed(
          `${plan.program} is ${info.state} under supervisord: ${info.spawnerr || info.description}`,
        );
      }
      // RUNNING past its start window (startsecs=1), with some margin.
      if (info.state !== 'RUNNING' || info.now - info.start < 2) {
        why = `${plan.program} is ${info.state}`;
      } else {
        const proc = await host.procs.full(info.pid);
        const argv = proc?.argv ?? [];
        const kubelets = (await findKubeletProcesses(host.procs)).filter(
          (k) => !k.pidNamespace || k.pidNamespace === proc?.pidNamespace,
        );
        const health = await host.http.get(plan.kubelet.healthzUrl, 2000);
        const differences = plan.kubelet.expect ? await runDifferences(host, info.pid, plan.kubelet.expect) : [];
        if (JSON.stringify(argv) !== JSON.stringify(plan.argv)) {
          why = `the supervised process (pid ${info.pid}) runs ${JSON.stringify(argv.slice(0, 3))}…, not the detected command line`;
        } else if (kubelets.length !== 1)
          why = `${kubelets.length} kubelet processes run (pids ${kubelets.map((k) => k.pid).join(', ')})`;
        else if (!health.ok) why = `healthz at ${plan.kubelet.healthzUrl}: ${health.error ?? `HTTP ${health.status}`}`;
        else if (differences.length)
          throw new MigrationStepFailed(`it does not run as systemd ran it: ${differences.join('; ')}`);
        else if (!gap.recovered) why = 'healthz has not answered yet';
        else
          return `${plan.program} RUNNING as pid ${info.pid}, healthz ok, same command line, limits, OOM score and environment, one kubelet`;
      }
      await host.clock.sleep(200);
    }
    return null;
  });
  if (verdict) return verdict;
  throw new MigrationStepFailed(`not healthy within ${timeoutMs / 1000} s: ${why}`);
}

/**
 * The last step: the migration holds only when the program is RUNNING past its start window, runs exactly the
 * detected command line as systemd ran it (limits, OOM score, environment), is the only copy (one kubelet;
 * the unit itself inactive), and the service answers its health check again.
 */

import path from 'node:path/posix';
import { probeHealth } from '../../health/probe.js';
import { describeHealth } from '../../health/service-health.js';
import type { Host } from '../../host.js';
import { findKubeletProcesses } from '../../kubelet/processes.js';
import { readySince } from '../plan/agent-ready.js';
import { type Pace, pacePath, parsePace } from '../plan/pace.js';
import type { Plan } from '../plan/plan.js';
import { runDifferences } from '../plan/run-check.js';
import type { GapMeter } from './gap-meter.js';
import { MigrationStepFailed, withSupervisor } from './supervisor-link.js';

/** A second copy of the service, when one runs beside the supervised process; null when it is alone. */
async function secondCopy(host: Host, plan: Plan, pid: number): Promise<string | null> {
  if (plan.service.unit === 'kubelet.service') {
    const own = (await host.procs.full(pid))?.pidNamespace;
    const kubelets = (await findKubeletProcesses(host.procs)).filter((k) => !k.pidNamespace || k.pidNamespace === own);
    return kubelets.length === 1
      ? null
      : `${kubelets.length} kubelet processes run (pids ${kubelets.map((k) => k.pid).join(', ')})`;
  }
  if (plan.service.face) return faceRunsProgram(host, plan);
  const active = (
    await host.runner.run('systemctl', ['is-active', plan.service.unit], { timeoutMs: 10_000 })
  ).stdout.trim();
  return active === 'active' ? `${plan.service.unit} is active under systemd too` : null;
}

/**
 * The face is active (its main process forwards the log): a second copy is the unit's main process being the
 * program itself, which only a unit without the face could start.
 */
async function faceRunsProgram(host: Host, plan: Plan): Promise<string | null> {
  const shown = await host.runner.run('systemctl', ['show', '-p', 'MainPID', '--value', plan.service.unit], {
    timeoutMs: 10_000,
  });
  const mainPid = Number(shown.stdout.trim());
  if (!(mainPid > 0)) return null;
  const exe = (await host.procs.full(mainPid))?.exe?.replace(/ \(deleted\)$/, '');
  const program = plan.argv[0] ?? '';
  return exe !== undefined && path.basename(exe) === path.basename(program)
    ? `${plan.service.unit} runs ${program} under systemd too (pid ${mainPid})`
    : null;
}

/**
 * Starts in a row that ended at once, after which verify stops waiting: the wrapper paces a failing program
 * (1, 2, 4 s between tries), so supervisord keeps it RUNNING-looking while it fails, and waiting out the whole
 * timeout would leave the node with no kubelet at all for a minute. Three in a row is not a start-up race.
 */
export const QUICK_EXITS_TO_GIVE_UP = 3;

/** The pace file of the wrapper now running as `pid` (not one left by an earlier run), or null. */
async function paceOf(host: Host, plan: Plan, pid: number): Promise<Pace | null> {
  const text = (await host.files.read(pacePath(plan.program)).catch(() => undefined))?.toString('utf8');
  const pace = text ? parsePace(text) : null;
  return pace?.pid === pid ? pace : null;
}

function aloneWords(plan: Plan): string {
  if (plan.service.unit === 'kubelet.service') return 'one kubelet';
  return plan.service.face ? `${plan.service.unit} runs only its face` : `${plan.service.unit} inactive`;
}

/** What the step says when the migration holds: the program, its pid, and every check it passed. */
function verifiedWords(plan: Plan, pid: number, window: number): string {
  const up = plan.service.health.kind === 'alive' ? `up ${window} s` : 'healthy';
  const alone = aloneWords(plan);
  const ready = plan.agent?.notify ? ', READY=1 said' : '';
  const same = 'same command line, limits, OOM score and environment';
  return `${plan.program} RUNNING as pid ${pid}${ready}, ${up}, ${same}, ${alone}`;
}

/**
 * A Type=notify program (with kubesup-agent) is started once it said READY=1, as systemd waited for it: null
 * when that is not asked; else the bound in seconds from its exec (TimeoutStartSec=), Infinity for none.
 */
function readyBound(plan: Plan): number | null {
  if (!plan.agent?.notify) return null;
  return plan.agent.start_timeout_sec ?? Number.POSITIVE_INFINITY;
}

export async function verifyMigration(host: Host, plan: Plan, gap: GapMeter, timeoutMs: number): Promise<string> {
  const bound = readyBound(plan);
  // Waiting for READY=1 takes as long as systemd would have waited, when that is longer than the usual wait.
  const waitMs = bound !== null && Number.isFinite(bound) ? Math.max(timeoutMs, (bound + 5) * 1000) : timeoutMs;
  const until = host.clock.now() + waitMs;
  const check = plan.service.health;
  // A service with no health endpoint must at least stay up through its start window.
  const window = check.kind === 'alive' ? check.seconds : 2;
  let why = '';
  let firstCount: number | null = null;
  const verdict = await withSupervisor(host, plan, async (supervisor) => {
    while (host.clock.now() < until) {
      const info = await supervisor.getProcessInfo(plan.program);
      if (info.state === 'FATAL' || info.state === 'STOPPED') {
        throw new MigrationStepFailed(
          `${plan.program} is ${info.state} under supervisord: ${info.spawnerr || info.description}`,
        );
      }
      // Counted from the first start seen here: the wrapper's count may carry quick exits from before (a
      // rollback and a new migration within its window).
      const pace = info.pid ? await paceOf(host, plan, info.pid) : null;
      if (pace) {
        firstCount ??= pace.failedStarts;
        const quick = pace.failedStarts - firstCount;
        if (quick >= QUICK_EXITS_TO_GIVE_UP)
          throw new MigrationStepFailed(
            `${plan.program} fails at start under supervisord (${quick} starts in a row ended at once): ` +
              'its log says why',
          );
      }
      if (info.state !== 'RUNNING' || info.now - info.start < window) {
        const upFor = info.state === 'RUNNING' ? ` for ${info.now - info.start} s of ${window}` : '';
        why = `${plan.program} is ${info.state}${upFor}`;
      } else {
        const argv = (await host.procs.full(info.pid))?.argv ?? [];
        const health = await probeHealth(host, check, 2000);
        const differences = plan.service.expect ? await runDifferences(host, info.pid, plan.service.expect) : [];
        const second = await secondCopy(host, plan, info.pid);
        const ready = bound === null ? 0 : await readySince(host.files, plan.program, info.pid);
        // From its exec: the wrapper may first have waited out its restart pacing.
        const since = info.now - Math.max(info.start, pace?.nextStartS ?? 0);
        if (JSON.stringify(argv) !== JSON.stringify(plan.argv)) {
          const runs = JSON.stringify(argv.slice(0, 3));
          why = `the supervised process (pid ${info.pid}) runs ${runs}…, not the detected command line`;
        } else if (second) why = second;
        else if (ready === null && bound !== null && since >= bound)
          throw new MigrationStepFailed(
            `${plan.program} (pid ${info.pid}) has not said READY=1 within TimeoutStartSec=${bound}s of its start: ` +
              'systemd would have failed this start (kubesup-agent stops it and supervisord starts it again)',
          );
        else if (ready === null)
          why = `${plan.program} has not said READY=1 yet (Type=notify), ${since} s after its start`;
        else if (!health.ok) why = `${describeHealth(check)}: no (${health.detail})`;
        else if (differences.length)
          throw new MigrationStepFailed(`it does not run as systemd ran it: ${differences.join('; ')}`);
        else if (!gap.recovered) why = 'its health check has not answered yet';
        else return verifiedWords(plan, info.pid, window);
      }
      await host.clock.sleep(200);
    }
    return null;
  });
  if (verdict) return verdict;
  throw new MigrationStepFailed(`not healthy within ${waitMs / 1000} s: ${why}`);
}

/**
 * Making supervisord let go of the moved program before systemd starts its own: two kubelets must never run.
 * Every wait here is bounded. A supervisord that does not answer (stopped, hung) may still carry out, when it
 * wakes, the calls it was sent (the add that timed out starts the program then): so when it does not let go in
 * time, the program is left to it and the rollback stops there, saying what is left, rather than start a second
 * one beside it.
 */
import path from 'node:path/posix';
import { ExternalFailure } from '../../errors.js';
import type { Host, ProcessRecord } from '../../host.js';
import { ignoreFaults, isFault, type SupervisorClient } from '../../supervisor/client.js';
import { findSupervisordProcess } from '../../supervisor/locate.js';
import { FaultCode } from '../../supervisor/xmlrpc.js';
import type { Plan } from '../plan/plan.js';
import { withSupervisor } from './supervisor-link.js';

/** How long supervisord has, in all, to let go of the program (a hung one may wake within it). */
export const LET_GO_MS = 60_000;
/** A call that answers at once from a well supervisord. */
const QUICK_MS = 5000;
/** supervisord's default stopwaitsecs, when the program file sets none. */
const DEFAULT_STOP_WAIT_S = 10;

/** How the program is stopped, as its program file says: how long supervisord waits, and whether it kills a group. */
function stopSettings(plan: Plan): { readonly stopMs: number; readonly asGroup: boolean } {
  const program = plan.files.find((f) => f.role === 'program')?.content ?? '';
  const wait = Number(/^stopwaitsecs\s*=\s*(\d+)/m.exec(program)?.[1] ?? DEFAULT_STOP_WAIT_S);
  // stopProcess(wait) answers once the program stopped: after stopwaitsecs at most, then supervisord kills it.
  return { stopMs: (wait + 10) * 1000, asGroup: /^killasgroup\s*=\s*true/m.test(program) };
}

/** supervisord still holds the moved program: the rollback must not start the unit's systemd service. */
export class SupervisorHoldsProgram extends ExternalFailure {
  override name = 'SupervisorHoldsProgram';
}

/** The moved program's processes under supervisord now, from /proc: its children running the binary or wrapper. */
export async function supervisedProcesses(host: Host, plan: Plan): Promise<ProcessRecord[]> {
  const daemon = await findSupervisordProcess(host.procs);
  if (!daemon) return [];
  const wrapper = plan.files.find((f) => f.role === 'wrapper')?.path;
  const names = new Set([path.basename(plan.argv[0] ?? ''), ...(wrapper ? [path.basename(wrapper)] : [])]);
  const found: ProcessRecord[] = [];
  for (const pid of await host.procs.pids()) {
    const brief = await host.procs.brief(pid);
    const exe = path.basename((brief?.exe ?? '').replace(/ \(deleted\)$/, ''));
    // comm is cut at 15 characters; a wrapper run by sh has the shell as exe and its own name as comm.
    if (!brief || ![...names].some((n) => n.slice(0, 15) === brief.comm || n === exe)) continue;
    const full = await host.procs.full(pid);
    if (full?.ppid === daemon.pid) found.push(full);
  }
  return found;
}

/**
 * Ends the program's process, with its process group when supervisord would kill the group (killasgroup: it
 * makes each program's process its group's leader), and waits until it is gone. KillMode=process programs
 * (containerd) lose only their main process, as systemd would do: their children (every container) live on.
 */
async function endProcess(host: Host, pid: number, asGroup: boolean): Promise<void> {
  await host.runner.run('kill', ['-KILL', '--', asGroup ? `-${pid}` : String(pid)], { timeoutMs: QUICK_MS });
  const until = host.clock.now() + QUICK_MS;
  while ((await host.procs.brief(pid)) && host.clock.now() < until) await host.clock.sleep(100);
  if (await host.procs.brief(pid)) throw new SupervisorHoldsProgram(`pid ${pid} did not end after SIGKILL`);
}

/** One try: stop (ending the process when the stop does not), then remove; true when supervisord has it no more. */
async function release(host: Host, plan: Plan, supervisor: SupervisorClient): Promise<boolean> {
  const { program } = plan;
  const { stopMs, asGroup } = stopSettings(plan);
  try {
    await supervisor.stopProcess(program, true, stopMs);
  } catch (error) {
    if (!isFault(error, FaultCode.BAD_NAME, FaultCode.NOT_RUNNING)) {
      // Still stopping past stopwaitsecs (supervisord's own SIGKILL did not end it): end it ourselves.
      const info = await supervisor.getProcessInfo(program);
      if (info.state !== 'STOPPING' || !info.pid) throw error;
      await endProcess(host, info.pid, asGroup);
    }
  }
  await supervisor.removeProcessGroup(program).catch(ignoreFaults(FaultCode.BAD_NAME));
  return !(await supervisor.getAllProcessInfo()).some((p) => p.group === program);
}

/** What is left when supervisord keeps the program: one line a person can act on. */
async function whatIsLeft(host: Host, plan: Plan, last: string): Promise<string> {
  const pids = (await supervisedProcesses(host, plan)).map((p) => p.pid);
  const runs = pids.length
    ? `it runs as pid ${pids.join(', ')} under supervisord`
    : 'no process of it runs now; supervisord may start it when it answers';
  return (
    `supervisord did not let go of [program:${plan.program}] within ${LET_GO_MS / 1000} s (${last}): ` +
    `${plan.service.unit.replace(/\.service$/, '')} is left to supervisord (${runs}); ` +
    `systemd's ${plan.service.unit} was not started, so that two never run, and the files are as migrated: ` +
    'run kubesup-tui rollback --yes once supervisord answers'
  );
}

/**
 * Makes supervisord stop and forget the program, checking after a pause that it stays gone (calls it held while
 * it did not answer may still be carried out); throws SupervisorHoldsProgram, saying what is left, after LET_GO_MS.
 */
export async function makeSupervisorLetGo(host: Host, plan: Plan): Promise<string> {
  const until = host.clock.now() + LET_GO_MS;
  let last = '';
  while (host.clock.now() < until) {
    try {
      if (!(await findSupervisordProcess(host.procs))) return 'supervisord is not running';
      // A quick question first: a hung supervisord is not sent a stop it would carry out at some later time.
      await withSupervisor(host, plan, (s) => s.getState(), QUICK_MS);
      if (await withSupervisor(host, plan, (s) => release(host, plan, s), QUICK_MS)) {
        await host.clock.sleep(1000);
        const again = await withSupervisor(host, plan, (s) => s.getAllProcessInfo(), QUICK_MS);
        if (!again.some((p) => p.group === plan.program) && !(await supervisedProcesses(host, plan)).length)
          return `stopped and removed`;
        last = `[program:${plan.program}] came back`;
      }
    } catch (error) {
      last = (error as Error).message;
    }
    await host.clock.sleep(1000);
  }
  throw new SupervisorHoldsProgram(await whatIsLeft(host, plan, last));
}

/**
 * The resident agent in apply and rollback. Apply: its sources compiled, its listener added to supervisord (or
 * restarted, so that it reads the settings of the unit just moved). Rollback: its files shared by the moved units
 * stay while another moved unit remains (the listener is restarted to forget this program); with the last one
 * they go, the listener is removed from supervisord and its compiled files and run files go with it.
 */
import path from 'node:path/posix';
import type { Host } from '../../host.js';
import { ignoreFaults, isFault, type SupervisorClient } from '../../supervisor/client.js';
import { FaultCode } from '../../supervisor/xmlrpc.js';
import type { Journal } from '../journal/journal.js';
import { movedJournals } from '../journal/moved-units.js';
import {
  AGENT,
  AGENT_CONFIG,
  AGENT_DIR,
  AGENT_PROGRAMS_DIR,
  AGENT_RUN_DIR,
  alivePath,
  notifyPath,
  SHARED_AGENT_ROLES,
} from '../plan/agent-files.js';
import type { Plan, PlanStep } from '../plan/plan.js';
import { MigrationStepFailed, withSupervisor } from './supervisor-link.js';

export async function compileAgent(host: Host, step: Extract<PlanStep, { kind: 'agent-compile' }>): Promise<string> {
  const [file, ...args] = step.command;
  const r = await host.runner.run(file as string, args, { timeoutMs: 120_000 });
  if (r.exitCode !== 0) {
    const last = (r.stderr || r.stdout).trim().split('\n').at(-1) ?? '';
    throw new MigrationStepFailed(`${step.command.join(' ')} failed (exit ${r.exitCode}): ${last}`);
  }
  return 'compiled';
}

/** Stops the listener when it runs (it answers nothing while stopped: the stop waits for it). */
async function stopListener(supervisor: SupervisorClient): Promise<void> {
  await supervisor.stopProcess(AGENT, true).catch(ignoreFaults(FaultCode.NOT_RUNNING, FaultCode.BAD_NAME));
}

/** The listener added (it reads agent.json and agent.d/ at its start), or restarted to read them again. */
export async function startAgent(host: Host, plan: Plan): Promise<string> {
  return withSupervisor(host, plan, async (supervisor) => {
    const changes = await supervisor.reloadConfig();
    const present = (await supervisor.getAllProcessInfo()).some((p) => p.group === AGENT);
    if (present) await stopListener(supervisor);
    // A changed listener file (another interpreter, a newer tool) takes effect only when added again.
    if (present && changes.changed.includes(AGENT)) await supervisor.removeProcessGroup(AGENT);
    if (!present || changes.changed.includes(AGENT)) {
      try {
        await supervisor.addProcessGroup(AGENT);
      } catch (error) {
        if (isFault(error, FaultCode.BAD_NAME))
          throw new MigrationStepFailed(`supervisord did not pick up [eventlistener:${AGENT}]: check its [include]`);
        if (!isFault(error, FaultCode.ALREADY_ADDED)) throw error;
      }
    }
    await supervisor.startProcess(AGENT, true).catch(ignoreFaults(FaultCode.ALREADY_STARTED));
    return present ? 'restarted: it reads the settings again' : 'added and started';
  });
}

/** The units still moved besides this one whose plans install the agent. */
async function otherAgentUnits(host: Host, journal: Journal): Promise<string[]> {
  const moved = await movedJournals(host.files);
  return moved
    .filter((j) => j.plan.service.unit !== journal.plan.service.unit && j.plan.agent !== undefined)
    .map((j) => j.plan.service.unit);
}

export interface AgentRollback {
  /** Shared files that stay for the other units (rollback neither removes nor restores them). */
  readonly keep: ReadonlySet<string>;
  /** Shared files this journal did not create but must go with the last unit (the first unit created them). */
  readonly removeToo: readonly string[];
  /** After the files: the listener restarted (others remain) or removed with what the agent left. */
  readonly after: (step: (title: string, fn: () => Promise<unknown>) => Promise<void>) => Promise<void>;
}

export async function agentRollback(host: Host, journal: Journal, supervisorUp: boolean): Promise<AgentRollback> {
  const plan = journal.plan;
  const shared = plan.files.filter((f) => SHARED_AGENT_ROLES.includes(f.role)).map((f) => f.path);
  if (!plan.agent) return { keep: new Set(), removeToo: [], after: async () => {} };
  const others = await otherAgentUnits(host, journal);
  if (others.length)
    return {
      keep: new Set(shared),
      removeToo: [],
      after: async (step) => {
        if (supervisorUp)
          await step(`supervisord: restart [eventlistener:${AGENT}] (it stays for ${others.join(', ')})`, () =>
            startAgent(host, plan),
          );
        await step(`remove ${plan.program}'s agent run files`, () => removeRunFiles(host, plan.program));
      },
    };
  return {
    keep: new Set(),
    removeToo: shared.filter((p) => !(p in journal.backups)),
    after: async (step) => {
      if (supervisorUp)
        await step(`supervisord: stop and remove [eventlistener:${AGENT}]`, () =>
          withSupervisor(host, plan, async (supervisor) => {
            await stopListener(supervisor);
            await supervisor.removeProcessGroup(AGENT).catch(ignoreFaults(FaultCode.BAD_NAME));
          }),
        );
      await step(`remove ${plan.program}'s agent run files`, () => removeRunFiles(host, plan.program));
      await step(`remove ${AGENT_DIR} (the agent and its compiled files)`, async () => {
        const made = [AGENT_PROGRAMS_DIR, path.dirname(AGENT_CONFIG), path.dirname(AGENT_DIR)];
        made.push(`${AGENT_RUN_DIR}/alive`, `${AGENT_RUN_DIR}/notify`);
        // Only the folders there are (no watchdog: no notify folder): rmdir fails on a missing one.
        const folders: string[] = [];
        for (const dir of made) if (await host.files.exists(dir)) folders.push(dir);
        const commands: [string, string[]][] = [['rm', ['-rf', '--', AGENT_DIR]]];
        if (folders.length) commands.push(['rmdir', ['--ignore-fail-on-non-empty', '--', ...folders]]);
        for (const [file, args] of commands) {
          const r = await host.runner.run(file, args, { timeoutMs: 30_000 });
          if (r.exitCode !== 0) throw new MigrationStepFailed(`${file} ${args.join(' ')}: ${r.stderr.trim()}`);
        }
      });
    },
  };
}

/** The FIFO and the notify socket the agent made for the program (it makes them again when it starts). */
async function removeRunFiles(host: Host, program: string): Promise<void> {
  for (const p of [alivePath(program), notifyPath(program)]) await host.writer.remove(p);
}

/**
 * The agent's part of one unit's plan: its files, the wrapper's lines, the compile and start steps, and the
 * words for the preview. planService calls it; without AgentOptions (older callers, most unit tests) the plan
 * has no agent part at all.
 */
import path from 'node:path/posix';
import type { SupervisorPython } from '../../detect/supervisor.js';
import { type AgentOptions, type AgentProgram, agentProgram, agentWords } from './agent.js';
import { AGENT, AGENT_DIR, agentFiles, agentWrapperLines } from './agent-files.js';
import type { PlannedFile, PlanStep } from './plan-model.js';
import type { ServiceSource } from './service-source.js';

export interface AgentPart {
  readonly program: AgentProgram;
  readonly python: SupervisorPython;
  readonly files: Omit<PlannedFile, 'before'>[];
  readonly wrapperLines: string[];
  readonly words: string[];
  readonly warnings: string[];
}

/** The listener's file, beside the programs' files (same folder, same extension). */
export const listenerPath = (programFile: string) =>
  `${path.dirname(programFile)}/${AGENT}${path.extname(programFile) || '.conf'}`;

/** Why there is no agent part, or the part. */
export function agentPart(
  d: ServiceSource,
  input: { readonly program: string; readonly programFile: string; readonly tool: string },
  options: AgentOptions | undefined,
): { part: AgentPart | null; warnings: string[] } {
  if (!options) return { part: null, warnings: [] };
  const python = d.supervisor.python ?? (d.supervisor.installed ? null : packagedPython(d.node.packageManager));
  if (!python)
    return {
      part: null,
      warnings: [
        "the resident agent is not installed: cannot tell which Python runs supervisord (install supervisord's " +
          'package first, then migrate): no watchdog, no liveness probe, no restart reasons',
      ],
    };
  const { program, warnings } = agentProgram(
    { unit: d.unit, name: d.name, version: d.version ?? null, run: d.run, health: d.health },
    options.watchdog,
    options.probe,
  );
  const url = d.supervisor.url;
  const socket = url?.startsWith('unix://') ? url.slice('unix://'.length) : null;
  if (!socket && url)
    warnings.push(`supervisord listens on ${url}, not a unix socket: the agent cannot wake it at a death`);
  if (d.supervisor.auth)
    warnings.push('supervisord asks for credentials: set supervisor_auth in /etc/kubesup-tui/agent.json by hand');
  const files = agentFiles({
    program: input.program,
    agent: program,
    sources: options.sources,
    config: { socket, textfileDir: options.textfileDir },
    listenerPath: listenerPath(input.programFile),
    python,
    tool: input.tool,
  });
  return {
    part: {
      program,
      python,
      files,
      wrapperLines: agentWrapperLines(input.program, program),
      words: [...agentWords(input.program, program), metricsWords(options)],
      warnings,
    },
    warnings,
  };
}

/**
 * The Python of the supervisor package the migration installs (no supervisord to ask yet): python3 on Debian and
 * Ubuntu (apt-get) and on EL 8 and later (dnf); 2.7 on EL 7 (yum, EPEL's supervisor 3.4.0). The agent runs on
 * either, so where a package's own Python differs, the one named here still serves it; it must be there, which
 * the compile step, after the install, checks.
 */
function packagedPython(manager: ServiceSource['node']['packageManager']): SupervisorPython | null {
  if (manager === 'apt-get' || manager === 'dnf') return { path: '/usr/bin/python3', major: 3 };
  return manager === 'yum' ? { path: '/usr/bin/python2', major: 2 } : null;
}

/** Every file of the agent in one step (each still backed up, written and rolled back on its own). */
export function agentWriteStep(part: AgentPart): PlanStep {
  const sources = part.files.filter((f) => f.role === 'agent-source').length;
  const others = part.files.filter((f) => f.role !== 'agent-source').map((f) => f.path);
  return {
    id: 'write-agent',
    kind: 'write-files',
    title: `write the resident agent: ${AGENT_DIR}/ (${sources} files), ${others.join(', ')}`,
    paths: part.files.map((f) => f.path),
  };
}

export function agentCompileStep(part: AgentPart): PlanStep {
  const command = [part.python.path, '-m', 'compileall', '-q', AGENT_DIR];
  return {
    id: 'agent-compile',
    kind: 'agent-compile',
    title: `compile the agent with supervisord's Python (${command.join(' ')})`,
    command,
  };
}

export function agentStartStep(program: string): PlanStep {
  return {
    id: 'agent-start',
    kind: 'agent-start',
    title: `supervisord: start [eventlistener:${AGENT}] (or restart it to read ${program}'s settings)`,
  };
}

/** Where the agent's metrics go, and why there: the preview's line. */
function metricsWords(options: AgentOptions): string {
  if (!options.textfileDir)
    return 'metrics: none (no textfile folder of node_exporter found here; --textfile-dir DIR names one)';
  const from = options.textfileFrom ?? '--textfile-dir';
  return `metrics: ${options.textfileDir}/kubesup.prom, for node_exporter's textfile collector (${from})`;
}

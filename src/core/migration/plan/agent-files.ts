/**
 * The agent's files and its lines in the wrapper. Layout on the node:
 *   /usr/lib/kubesup-tui/agent/             kubesup-agent.py and kubesup_agent/*.py (shared), compiled in place
 *   /etc/kubesup-tui/agent.json             the agent's own settings (shared): where its state, run folder,
 *                                           supervisord's socket and the textfile are; programs from agent.d
 *   /etc/kubesup-tui/agent.d/<program>.json what it does for one moved program (each unit's own file)
 *   <supervisord's program folder>/kubesup-agent<ext>   the [eventlistener] (shared)
 * Shared files are the same text for every unit (no date, no unit in them): the second unit's migration finds
 * them as planned, and a rollback removes them only with the last moved unit (agent-rollback.ts).
 */

import { quote } from 'shell-quote';
import type { SupervisorPython } from '../../detect/supervisor.js';
import type { AgentProgram } from './agent.js';
import { PACE_DIR } from './pace.js';
import type { FileRole, PlannedFile } from './plan-model.js';
import { STATE_DIR } from './state-dir.js';
import { TOOL_DIR } from './tool-copy.js';

export const AGENT = 'kubesup-agent';
export const AGENT_DIR = '/usr/lib/kubesup-tui/agent';
export const AGENT_CONFIG = '/etc/kubesup-tui/agent.json';
export const AGENT_PROGRAMS_DIR = '/etc/kubesup-tui/agent.d';
/** The agent's run folder (its FIFOs and notify sockets), the wrapper's pace folder too. */
export const AGENT_RUN_DIR = PACE_DIR;

/** Files every moved unit shares: kept while any moved unit remains. */
export const SHARED_AGENT_ROLES: readonly FileRole[] = ['agent-source', 'agent-config', 'agent-listener'];

export const agentProgramPath = (program: string) => `${AGENT_PROGRAMS_DIR}/${program}.json`;
export const alivePath = (program: string) => `${AGENT_RUN_DIR}/alive/${program}`;
export const notifyPath = (program: string) => `${AGENT_RUN_DIR}/notify/${program}`;
/** Where the agent marks a Type=notify program ready: its pid and when it said READY=1 (ready.ts reads it). */
export const readyPath = (program: string) => `${AGENT_RUN_DIR}/ready/${program}`;

/** The listener's command: supervisord's interpreter, isolated (-I on 3) and without site (-S): it imports little. */
export function agentCommand(python: SupervisorPython): string[] {
  const flags = python.major >= 3 ? ['-S', '-I'] : ['-S'];
  return [python.path, ...flags, `${AGENT_DIR}/kubesup-agent.py`, '--config', AGENT_CONFIG];
}

export function renderListener(python: SupervisorPython, tool: string): string {
  return [
    `; the resident agent of ${tool}: restart reasons and counters, the watchdog, the liveness probe.`,
    '; Shared by every unit kubesup-tui moved; `kubesup-tui rollback` of the last one removes it.',
    `[eventlistener:${AGENT}]`,
    `command=${quote(agentCommand(python)).replace(/%/g, '%%')}`,
    'events=PROCESS_STATE,SUPERVISOR_STATE_CHANGE',
    '; events wait here while the listener is busy: 10, the default, may overflow at boot',
    'buffer_size=100',
    'autostart=true',
    'autorestart=true',
    '; before the programs: their wrappers find its FIFOs at their first start',
    'priority=1',
    'startsecs=1',
    '',
  ].join('\n');
}

export interface AgentConfigInput {
  /** supervisord's unix socket (from unix:///path), or null when it listens on TCP only. */
  readonly socket: string | null;
  readonly textfileDir: string | null;
}

export function renderAgentConfig(c: AgentConfigInput): string {
  const config: Record<string, unknown> = {
    textfile_dir: c.textfileDir,
    state_dir: STATE_DIR,
    run_dir: AGENT_RUN_DIR,
    ...(c.socket ? { supervisor_socket: c.socket } : {}),
    programs_dir: AGENT_PROGRAMS_DIR,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export const renderAgentProgram = (p: AgentProgram) => `${JSON.stringify(p, null, 2)}\n`;

/** The wrapper's lines before `exec`, as the agent's docstring gives them. */
export function agentWrapperLines(program: string, p: AgentProgram): string[] {
  const lines: string[] = [];
  if (p.alive_fifo) {
    const fifo = quote([alivePath(program)]);
    lines.push(
      '',
      `# kubesup-agent's alive FIFO, held by ${program}: its death is POLLHUP there, and supervisord is woken at once.`,
      `[ -p ${fifo} ] && exec 9<>${fifo}`,
    );
  }
  const socket = quote([notifyPath(program)]);
  if (p.notify)
    lines.push(
      '',
      `# Type=notify: ${program} says READY=1 to kubesup-agent once started, as it did to systemd. At boot the`,
      '# agent starts beside it: wait (5 s at most) for its socket, or that one message would be lost.',
      `for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S ${socket} ] && break; sleep 0.5; done`,
    );
  if (p.watchdog_sec !== null)
    lines.push(
      '',
      `# ${p.unit === 'kubelet.service' ? "kubelet's watchdog" : `${p.unit}'s watchdog (WatchdogSec=)`}: ` +
        `it pings kubesup-agent every ${p.watchdog_sec / 2} s while its checks pass; ` +
        `${p.watchdog_sec} s without a ping is a hang.`,
      `export NOTIFY_SOCKET=${socket} WATCHDOG_USEC=${p.watchdog_sec * 1_000_000} WATCHDOG_PID=$$`,
    );
  else if (p.notify) lines.push(`export NOTIFY_SOCKET=${socket}`);
  return lines;
}

/** Paths for people: the agent's sources and the tool's copy as one entry each (the folder, how many files). */
export function shortFileList(paths: readonly string[]): string[] {
  const out = paths.filter((p) => !p.startsWith(`${AGENT_DIR}/`) && !p.startsWith(`${TOOL_DIR}/`));
  for (const dir of [AGENT_DIR, TOOL_DIR]) {
    const n = paths.filter((p) => p.startsWith(`${dir}/`)).length;
    if (n) out.push(`${dir}/ (${n} ${n === 1 ? 'file' : 'files'})`);
  }
  return out;
}

type FileInput = Omit<PlannedFile, 'before'>;

/** Every file of the agent for this unit, in the order they are written (the listener last: it runs them). */
export function agentFiles(input: {
  readonly program: string;
  readonly agent: AgentProgram;
  readonly sources: Readonly<Record<string, string>>;
  readonly config: AgentConfigInput;
  readonly listenerPath: string;
  readonly python: SupervisorPython;
  readonly tool: string;
}): FileInput[] {
  const files: FileInput[] = Object.entries(input.sources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rel, content]) => ({
      path: `${AGENT_DIR}/${rel}`,
      role: 'agent-source',
      content,
      mode: 0o644,
      why: 'the resident agent (shared by every moved unit)',
    }));
  files.push(
    {
      path: AGENT_CONFIG,
      role: 'agent-config',
      content: renderAgentConfig(input.config),
      mode: 0o644,
      why: "the agent's settings: its state, run folder, supervisord's socket, the metrics file",
    },
    {
      path: agentProgramPath(input.program),
      role: 'agent-program',
      content: renderAgentProgram(input.agent),
      mode: 0o644,
      why: `what the agent does for ${input.program}: watchdog, liveness probe, alive FIFO`,
    },
    {
      path: input.listenerPath,
      role: 'agent-listener',
      content: renderListener(input.python, input.tool.split(' ')[0] ?? 'kubesup-tui'),
      mode: 0o644,
      why: "supervisord's [eventlistener] that runs the agent",
    },
  );
  return files;
}

/**
 * What kubesup-agent (src/resident/, supervisord's event listener on a migrated node) keeps in
 * `<state_dir>/agent-state.json`: restart counts per program and reason that never go down, and the last exits
 * with their reasons. Where that file exists it is the one source of truth for restart counts and reasons:
 * `status --json`, the monitor and the metrics it writes all read it. No file: the agent is not installed
 * (an older node), and the counts come from supervisord's main log as before.
 */
import type { FileReader } from '../host.js';
import { STATE_DIR } from '../migration/plan/state-dir.js';

export const AGENT_STATE_PATH = `${STATE_DIR}/agent-state.json`;
/** The listener's own program: its ends are not counted by itself (the next agent's start sees them). */
export const AGENT_PROGRAM = 'kubesup-agent';

/** Why a program ended, as the agent names it (kubesup_agent/common.py's REASONS), in its order. */
export const AGENT_REASONS = ['exited', 'crashed', 'oom_killed', 'hung_watchdog', 'hung_healthz', 'operator'] as const;
export type AgentReason = (typeof AGENT_REASONS)[number];

export interface AgentExit {
  /** Milliseconds since the epoch (the agent writes seconds). */
  readonly time: number;
  readonly program: string;
  readonly group: string | null;
  readonly pid: number | null;
  /** One of AGENT_REASONS; a newer agent's reason is kept as it is. */
  readonly reason: string;
  readonly detail: string;
  readonly exit: number | null;
  readonly signal: string | null;
}

export interface AgentState {
  /** Per program, per reason: ends counted since the agent began, never lowered. */
  readonly restarts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Oldest first, the last few. */
  readonly history: readonly AgentExit[];
}

/** The agent's file as read: its state, or why it is not used (a warning), or neither (no agent here). */
export interface AgentRead {
  readonly state: AgentState | null;
  readonly warning: string | null;
  /** The file's bytes as read: the same bytes next time are the same read, not parsed again. */
  readonly bytes?: Buffer;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const maybe = (v: unknown, type: 'string' | 'number') => v === null || v === undefined || typeof v === type;

function parseExit(v: unknown, i: number): AgentExit {
  const at = `history[${i}]`;
  if (!isObject(v)) throw new Error(`${at} is not an object`);
  if (typeof v.time !== 'number' || !Number.isFinite(v.time)) throw new Error(`${at}.time is not a number`);
  if (typeof v.program !== 'string' || !v.program) throw new Error(`${at}.program is not a name`);
  if (typeof v.reason !== 'string' || !v.reason) throw new Error(`${at}.reason is not a word`);
  for (const [key, type] of [
    ['group', 'string'],
    ['detail', 'string'],
    ['signal', 'string'],
    ['pid', 'number'],
    ['exit', 'number'],
  ] as const)
    if (!maybe(v[key], type)) throw new Error(`${at}.${key} is not a ${type}`);
  return {
    time: Math.round(v.time * 1000),
    program: v.program,
    group: (v.group as string | null | undefined) ?? null,
    pid: (v.pid as number | null | undefined) || null,
    reason: v.reason,
    detail: (v.detail as string | null | undefined) ?? '',
    exit: (v.exit as number | null | undefined) ?? null,
    signal: (v.signal as string | null | undefined) ?? null,
  };
}

/** The file's text checked, as the agent writes it; throws an Error saying what is wrong. */
export function parseAgentState(text: string): AgentState {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  if (!isObject(doc)) throw new Error('not a JSON object');
  const restarts = doc.restarts ?? {};
  if (!isObject(restarts)) throw new Error('"restarts" is not an object');
  for (const [program, reasons] of Object.entries(restarts)) {
    if (!isObject(reasons)) throw new Error(`restarts.${program} is not an object`);
    for (const [reason, n] of Object.entries(reasons))
      if (!count(n)) throw new Error(`restarts.${program}.${reason} is not a count`);
  }
  const history = doc.history ?? [];
  if (!Array.isArray(history)) throw new Error('"history" is not a list');
  return {
    restarts: restarts as AgentState['restarts'],
    history: history.map(parseExit).sort((a, b) => a.time - b.time),
  };
}

/**
 * Reads the agent's file: none is no agent (no warning); one that cannot be read or used is a warning. The
 * same bytes as `previous` give `previous` itself (the monitor reads the file at every poll).
 */
export async function readAgentState(
  files: Pick<FileReader, 'read'>,
  path = AGENT_STATE_PATH,
  previous?: AgentRead,
): Promise<AgentRead> {
  try {
    const bytes = await files.read(path);
    if (bytes === undefined) return { state: null, warning: null };
    if (previous?.bytes?.equals(bytes)) return previous;
    try {
      return { state: parseAgentState(bytes.toString('utf8')), warning: null, bytes };
    } catch (error) {
      return { ...unusable(path, error), bytes };
    }
  } catch (error) {
    return unusable(path, error);
  }
}

const FALLBACK = "restart counts from supervisord's main log";

/** Why the file is not used, in one line. */
function unusable(path: string, error: unknown): AgentRead {
  // An errno error says it first (`EACCES: permission denied`); the path is said once, before it.
  const message = error instanceof Error ? error.message : String(error);
  const why = (error as { code?: string }).code ? (message.split(',')[0] as string) : message;
  return {
    state: null,
    warning: `${path} (kubesup-agent's restart counts) is unusable (${why}): ${FALLBACK}`,
  };
}

/** A program's counts by reason: every known reason (0 when none), then any a newer agent added. */
export function reasonCounts(state: AgentState, program: string): Record<string, number> {
  const counted = state.restarts[program] ?? {};
  return Object.fromEntries([
    ...AGENT_REASONS.map((r) => [r, counted[r] ?? 0] as const),
    ...Object.entries(counted).filter(([r]) => !(AGENT_REASONS as readonly string[]).includes(r)),
  ]);
}

/**
 * The ends nobody asked for: every reason the agent counted but the operator's, as the RESTARTS column always
 * counted (supervisord's main log tells a stop from an exit) and as the alert rules count flapping
 * (`kubesup_program_restarts_total{reason!="operator"}`). `restarts_by_reason` has the operator's too.
 */
export function totalRestarts(state: AgentState, program: string): number {
  return Object.entries(state.restarts[program] ?? {})
    .filter(([reason]) => reason !== 'operator')
    .reduce((sum, [, n]) => sum + n, 0);
}

/** The agent's detail without what supervisord said after it (`; then terminated by SIGABRT`). */
const cause = (detail: string) => detail.split('; then ')[0] as string;

/**
 * An exit's reason in words, as the issue names them: `exited 1`, `crashed (SIGSEGV)`, `OOM-killed`,
 * `hung (watchdog: no WATCHDOG=1 for 60s)`, `hung (healthz: last answer HTTP/1.1 500 ...)`, `stopped by the
 * operator` (`restarted by` when supervisord started it again).
 */
export function reasonWords(e: Pick<AgentExit, 'reason' | 'detail' | 'exit' | 'signal'>, respawned = false): string {
  switch (e.reason) {
    case 'exited':
      return e.exit === null ? 'exited' : `exited ${e.exit}`;
    case 'crashed':
      return `crashed (${e.signal ?? 'signal'})`;
    case 'oom_killed':
      return 'OOM-killed';
    case 'hung_watchdog':
      return `hung (${cause(e.detail).replace(/ \(pid \d+\)$/, '') || 'watchdog'})`;
    case 'hung_healthz': {
      const last = /, last: (.*)$/.exec(cause(e.detail))?.[1];
      return last ? `hung (healthz: last answer ${last.trim()})` : 'hung (healthz)';
    }
    case 'operator':
      return `${respawned ? 'restarted' : 'stopped'} by the operator`;
    default:
      return e.reason.replace(/_/g, ' ');
  }
}

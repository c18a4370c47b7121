/**
 * A program's history with kubesup-agent's record winning where it exists: the counts are the agent's (what
 * `kubesup_program_restarts_total` says), each exit the main log read gets the agent's reason, and the
 * agent's older exits (before supervisord's start, a reboot ago) join the list. An exit is never listed twice:
 * one the log holds is matched to the agent's record of it (same pid, else within a few seconds), and an
 * agent's record inside what the log covers but matched to none is left out rather than shown a second time.
 */
import { AGENT_PROGRAM, type AgentExit, type AgentState, reasonCounts, totalRestarts } from './agent-state.js';
import type { ExitRecord, ProgramHistory } from './restart-history.js';

/** How far apart the log's time and the agent's may be for one exit with no pid to match on. */
const MATCH_MS = 3000;
/**
 * With the same pid: the agent writes its record once supervisord's log has words for the exit, a moment
 * later, or later still when it was busy; never a boot later (kubelet often has the same pid at each boot).
 */
const PID_MATCH_MS = 60_000;
/** Exits kept in a merged list: the log's bound (restart-history.ts). */
const MAX_EXITS = 200;

/** Whether the agent's record and the log's exit are the same end of the same process. */
function sameExit(a: AgentExit, e: ExitRecord): boolean {
  const apart = Math.abs(a.time - e.time);
  if (a.pid && e.pid) return a.pid === e.pid && apart <= PID_MATCH_MS;
  return apart <= MATCH_MS;
}

/** An exit the log no longer holds (or never did), as the agent recorded it. */
function agentOnly(a: AgentExit): ExitRecord {
  return {
    time: a.time,
    status: a.exit,
    signal: a.signal,
    // The agent does not keep supervisord's `expected`: a stop was asked for, any other end was not.
    expected: a.reason === 'operator',
    respawned: false,
    duringStart: false,
    ranForMs: null,
    pid: a.pid,
    reason: a.reason,
    detail: a.detail,
  };
}

/**
 * The program's history from the log (`fromLog`) with the agent's state over it. `coveredFrom`: where the
 * log's record begins (null: no log, so every agent's exit is listed).
 */
export function withAgentHistory(
  program: string,
  fromLog: ProgramHistory,
  agent: AgentState,
  coveredFrom: number | null,
): ProgramHistory {
  // The listener does not count its own ends: its row keeps the log's.
  if (program === AGENT_PROGRAM) return fromLog;
  const records = agent.history.filter((a) => a.program === program);
  const used = new Set<AgentExit>();
  // Done at each poll for every program, over up to 200 log exits: each looks only at the records of its pid
  // and those without one (a failed start's), not at all of them.
  const byPid = new Map<number, AgentExit[]>();
  for (const a of records) if (a.pid) byPid.set(a.pid, [...(byPid.get(a.pid) ?? []), a]);
  const noPid = records.filter((a) => !a.pid);
  /** The closest unused record among `candidates` that is the same exit as `e`, else `best`. */
  const closest = (e: ExitRecord, candidates: readonly AgentExit[], best?: AgentExit): AgentExit | undefined => {
    for (const a of candidates)
      if (!used.has(a) && sameExit(a, e) && (!best || Math.abs(a.time - e.time) < Math.abs(best.time - e.time)))
        best = a;
    return best;
  };
  const exits = fromLog.exits.map((e) => {
    const match = e.pid ? closest(e, noPid, closest(e, byPid.get(e.pid) ?? [])) : closest(e, records);
    if (!match) return e;
    used.add(match);
    return { ...e, pid: e.pid ?? match.pid, reason: match.reason, detail: match.detail };
  });
  // Older than what the log covers, so before its exits: the list stays in time order.
  const older = records.filter((a) => !used.has(a) && (coveredFrom === null || a.time < coveredFrom - MATCH_MS));
  const merged = older.length ? [...older.map(agentOnly), ...exits].slice(-MAX_EXITS) : exits;
  return {
    ...fromLog,
    restarts: totalRestarts(agent, program),
    exits: merged,
    lastExit: merged.at(-1) ?? null,
    source: 'agent',
    byReason: reasonCounts(agent, program),
  };
}

/**
 * How any critical unit other than kubelet (containerd, etcd, docker, cri-dockerd, ...) is started today: its
 * running process (the unit's main pid, with its argv, environment, limits and OOM score), what systemd would
 * run, how systemd ran it, how its health is told, and whether it may be moved under supervisord at all.
 */
import path from 'node:path/posix';
import { describeHealth, type HealthCheck, serviceHealth } from '../health/service-health.js';
import type { Host } from '../host.js';
import type { SupervisorOverrides } from '../supervisor/locate.js';
import { isFaceForwarder } from '../systemd/face-drop-in.js';
import type { RunSettings } from '../systemd/run-settings.js';
import { notUtf8Refusal } from './argv-bytes.js';
import { type ConfiguredStart, detectConfigured } from './configured.js';
import { type NodeFacts, nodeFacts } from './detect.js';
import { carriedRun, type RunningProcess, readProcessRun } from './process-run.js';
import { detectSupervisor, SUPERVISOR_UNITS, type SupervisorDetection } from './supervisor.js';

/** Units the node's access or systemd itself depends on: losing systemd's care of them can lose the node. */
const NEVER = [
  {
    match: /^(sshd?|openssh-server|dropbear)\.service$/,
    why: 'the node is reached through it: if supervisord failed, so would every way in',
  },
  {
    match: /^(systemd-.*|dbus|dbus-broker|polkit|getty@.*|serial-getty@.*)\.service$/,
    why: 'it is part of systemd itself',
  },
  {
    match: /^(NetworkManager|networking|systemd-networkd|network|wicked)\.service$/,
    why: 'the node is reached through it',
  },
];

/** The unit's name with `.service`, and the program name that follows it (`containerd.service` -> `containerd`). */
export function unitNames(unit: string): { unit: string; program: string } {
  const name = unit.endsWith('.service') ? unit : `${unit}.service`;
  return { unit: name, program: name.slice(0, -'.service'.length).replace(/[^A-Za-z0-9_-]/g, '-') };
}

/** Why a unit must never go under supervisord, or null. */
export function neverMoved(unit: string): string | null {
  if (SUPERVISOR_UNITS.includes(unit)) return `${unit} is supervisord's own unit: supervisord cannot guard itself`;
  const rule = NEVER.find((r) => r.match.test(unit));
  return rule ? `${unit} stays under systemd: ${rule.why}` : null;
}

export interface UnitDetection {
  readonly unit: string;
  readonly program: string;
  readonly argv: string[];
  readonly running: RunningProcess | null;
  readonly configured: ConfiguredStart | null;
  readonly carry: { readonly run: RunSettings; readonly oomScoreAdjust: number } | null;
  readonly health: HealthCheck | null;
  readonly healthText: string;
  readonly supervisor: SupervisorDetection;
  readonly node: NodeFacts;
  readonly refusal: string | null;
  readonly warnings: string[];
}

export async function detectUnit(
  host: Host,
  unitName: string,
  options: { readonly program?: string; readonly supervisor?: SupervisorOverrides; readonly healthUrl?: string },
): Promise<UnitDetection> {
  const { unit, program: defaultProgram } = unitNames(unitName);
  const program = options.program ?? defaultProgram;
  const warnings: string[] = [];
  let refusal = neverMoved(unit);

  const fromUnit = await detectConfigured(host, unit);
  warnings.push(...fromUnit.warnings);
  refusal ??= fromUnit.refusal;
  const configured = fromUnit.configured;

  let running = await runByUnit(host, unit, program, warnings);
  const binary = path.basename(configured?.argv[0] ?? running?.argv[0] ?? program);
  const supervisor = await detectSupervisor(host, program, options.supervisor, binary);
  warnings.push(...supervisor.problems);
  if (supervisor.program) {
    const supervised = await supervisedPid(host, binary);
    if (supervised && !running)
      running = { ...supervised, managedBy: 'supervisord', run: await readProcessRun(host.files, supervised.pid) };
  }

  const argv = running?.argv ?? configured?.argv ?? [];
  if (
    running?.managedBy === 'systemd' &&
    configured &&
    JSON.stringify(running.argv) !== JSON.stringify(configured.argv)
  )
    warnings.push(changedSinceStart(program, running.pid, unit));
  refusal ??= socketActivation(unit, argv, configured);
  refusal ??= notUtf8Refusal(program, argv);
  if (argv.length === 0 && !refusal)
    refusal =
      configured || (await host.files.exists(`/etc/systemd/system/${unit}`))
        ? `${unit} has no usable ExecStart= and ${program} is not running`
        : `no unit ${unit} on this node`;
  const env = configured?.env ?? {};
  const check = argv.length ? await serviceHealth(host.files, program, argv, env, options.healthUrl) : null;
  let health: HealthCheck | null = null;
  if (check && 'problem' in check) warnings.push(check.problem);
  else health = check;
  return {
    unit,
    program,
    argv,
    running,
    configured,
    carry: configured
      ? carriedRun(configured.run, configured.oomScoreAdjust, running?.managedBy === 'systemd' ? running.run : null)
      : null,
    health,
    healthText: health ? describeHealth(health) : 'unknown',
    supervisor,
    node: await nodeFacts(host, unit),
    refusal,
    warnings,
  };
}

/** The unit's main process, read before anything changes (its limits and OOM score are what systemd gave it). */
async function runByUnit(
  host: Host,
  unit: string,
  program: string,
  warnings: string[],
): Promise<UnitDetection['running']> {
  const shown = await host.runner.run('systemctl', ['show', '-p', 'MainPID', '--value', unit], { timeoutMs: 10_000 });
  const mainPid = Number(shown.stdout.trim()) || 0;
  const p = mainPid ? await host.procs.full(mainPid) : undefined;
  if (!p?.argv) return null;
  // A migrated unit's face: its main process forwards the log; the program runs under supervisord (found below).
  if (await isFaceForwarder(host.files, unit, p.argv[0])) return null;
  if (!p.environ) warnings.push(`cannot read /proc/${p.pid}/environ (not root?): ${program}'s environment is unknown`);
  return {
    pid: p.pid,
    argv: [...p.argv],
    env: p.environ ? { ...p.environ } : null,
    managedBy: 'systemd',
    run: await readProcessRun(host.files, p.pid),
  };
}

function changedSinceStart(program: string, pid: number, unit: string): string {
  return (
    `the running ${program} (pid ${pid}) differs from what ${unit} would start now: the unit or its environment ` +
    'files changed since it started; the running command line is used'
  );
}

/**
 * Socket activation: systemd holds the listening socket and hands it over (`fd://` in docker's and cri-dockerd's
 * upstream units, with their .socket unit). Under supervisord the service would start with no socket at all.
 */
function socketActivation(unit: string, argv: readonly string[], c: ConfiguredStart | null): string | null {
  const sockets = (c?.requires ?? []).filter((u) => u.endsWith('.socket'));
  if (!argv.some((a) => a.includes('fd://')) && !sockets.length) return null;
  return (
    `${unit} is socket-activated (${sockets[0] ?? 'fd://'}: systemd holds its socket and hands it over); ` +
    'under supervisord it would have none. Make it listen itself (e.g. unix:///var/run/docker.sock instead of fd://) ' +
    'and disable the .socket unit first'
  );
}

/** A process supervisord already runs for the program (after a migration), found by its binary's name. */
async function supervisedPid(
  host: Host,
  binary: string,
): Promise<{ pid: number; argv: string[]; env: Record<string, string> | null } | undefined> {
  for (const pid of await host.procs.pids()) {
    const b = await host.procs.brief(pid);
    if (b?.comm !== binary.slice(0, 15)) continue;
    const full = await host.procs.full(pid);
    if (full?.argv && full.environ?.SUPERVISOR_ENABLED) return { pid, argv: [...full.argv], env: { ...full.environ } };
  }
  return undefined;
}

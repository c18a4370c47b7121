/**
 * How kubelet is started on this node today, from two sources, both reported:
 * - running: the kubelet process found through /proc (exact argv and environment);
 * - configured: what systemd would run, computed from the unit, its drop-ins and environment files.
 * The migration uses `argv`: the running one when kubelet runs, else the configured one.
 * Expected problems (a broken unit, an unreadable file, not root) are warnings, never exceptions.
 */
import path from 'node:path/posix';
import type { Host, ProcessRecord, ProcessTable } from '../host.js';
import { type HealthzEndpoint, healthzFromKubeletConfig, kubeletConfigPath } from '../kubelet/config.js';
import { differingFlags, flagWarnings, parseKubeletVersion } from '../kubelet/flags.js';
import { findKubeletProcesses } from '../kubelet/processes.js';
import type { SupervisorOverrides } from '../supervisor/locate.js';
import type { SourcedArg } from '../systemd/exec-line.js';
import { resolveUnit } from '../systemd/resolve-unit.js';
import type { RunSettings } from '../systemd/run-settings.js';
import { unitState } from '../systemd/unit-state.js';
import { notUtf8Refusal } from './argv-bytes.js';
import { type ConfiguredStart, detectConfigured } from './configured.js';
import { carriedRun, type RunningProcess, readProcessRun } from './process-run.js';
import { detectSupervisor, type SupervisorDetection } from './supervisor.js';

export const KUBELET_UNIT = 'kubelet.service';

export interface FlagSource {
  readonly arg: string;
  /** For people: `file:line`, with the variable when it came from one. */
  readonly source: string;
}

export interface Detection {
  readonly argv: string[];
  readonly running: RunningProcess | null;
  /** What the migration carries of how systemd ran it: the unit's settings at the running process's values. */
  readonly carry: { readonly run: RunSettings; readonly oomScoreAdjust: number } | null;
  readonly configured: ConfiguredStart | null;
  readonly flags: FlagSource[];
  readonly kubelet: {
    readonly version: string | null;
    readonly binary: string | null;
    readonly healthz: HealthzEndpoint & { readonly config: string | null };
  };
  readonly supervisor: SupervisorDetection;
  readonly node: NodeFacts;
  /** Why a migration must not go ahead, when it must not. */
  readonly refusal: string | null;
  readonly warnings: string[];
}

/** What else on the node shapes a migration plan, gathered here so that planning probes nothing. */
export interface NodeFacts {
  /** How supervisord would be installed if it is missing. */
  readonly packageManager: 'apt-get' | 'dnf' | 'yum' | null;
  /** Container runtime units present: kubelet's supervisord starts after them. */
  readonly runtimeUnits: string[];
  /** The other critical units on the node (runtimes, etcd) and systemd's word for each ("active", ...). */
  readonly otherUnits: { readonly unit: string; readonly active: string }[];
  /** The unit's own file lives in /etc/systemd/system, where `systemctl mask` refuses. */
  readonly unitInEtc: boolean;
}

/** Container runtimes kubelet may need started first. */
export const RUNTIME_UNITS = ['containerd.service', 'crio.service', 'docker.service', 'cri-docker.service'];

export interface DetectOptions {
  readonly program: string;
  readonly supervisor?: SupervisorOverrides;
}

function originText(a: SourcedArg): string {
  const at = `${a.origin.file}:${a.origin.line}`;
  if (!a.variable) return `${at} (ExecStart)`;
  const v = a.variable;
  return v.origin ? `${v.origin.file}:${v.origin.line} ($${v.name}, ${v.kind}=)` : `${at} ($${v.name}, unset)`;
}

/** Who runs this kubelet: our systemd unit, supervisord, or something kubesup-tui must leave alone. */
async function classify(
  p: ProcessRecord,
  procs: ProcessTable,
  ownNs: string | undefined,
): Promise<{ foreign: string | null; managedBy: string }> {
  if (ownNs && p.pidNamespace && p.pidNamespace !== ownNs)
    return {
      foreign: `pid ${p.pid} runs in another pid namespace (a container, such as a kind node)`,
      managedBy: 'container',
    };
  const parent = p.ppid ? await procs.full(p.ppid) : undefined;
  const parentName = path.basename(parent?.argv?.[0] ?? parent?.comm ?? '');
  if (/^rke2/.test(parentName) || /rke2-(server|agent)\.service/.test(p.cgroup ?? '')) {
    return { foreign: `pid ${p.pid} is run by RKE2, which supervises its own kubelet`, managedBy: 'rke2' };
  }
  if (/\/(docker|kubepods|libpod|lxc)[-/.]/.test(p.cgroup ?? ''))
    return {
      foreign: `pid ${p.pid} runs inside a container (${(p.cgroup ?? '').trim().split('\n')[0]})`,
      managedBy: 'container',
    };
  const parentArgv = parent?.argv ?? [];
  const supervised = parentArgv.some((a) => path.basename(a) === 'supervisord');
  return { foreign: null, managedBy: supervised ? 'supervisord' : 'systemd' };
}

async function k3sPresent(procs: ProcessTable): Promise<boolean> {
  for (const pid of await procs.pids()) {
    const b = await procs.brief(pid);
    if (b?.comm && /^k3s(-server|-agent)?$/.test(b.comm)) return true;
  }
  return false;
}

export async function nodeFacts(host: Host, unit: string): Promise<NodeFacts> {
  const has = (p: string) => host.files.exists(p);
  const packageManager = (await has('/usr/bin/apt-get'))
    ? 'apt-get'
    : (await has('/usr/bin/dnf'))
      ? 'dnf'
      : (await has('/usr/bin/yum'))
        ? 'yum'
        : null;
  const runtimeUnits: string[] = [];
  for (const u of RUNTIME_UNITS) if ((await resolveUnit(host.files, u)).fragment) runtimeUnits.push(u);
  const etcd = (await resolveUnit(host.files, 'etcd.service')).fragment ? ['etcd.service'] : [];
  const otherUnits = await Promise.all(
    [...runtimeUnits, ...etcd].map(async (u) => ({ unit: u, active: (await unitState(host.runner, u)).active })),
  );
  const unitInEtc =
    (await has(`/etc/systemd/system/${unit}`)) ||
    (await host.files.readLink(`/etc/systemd/system/${unit}`)) !== undefined;
  return { packageManager, runtimeUnits, otherUnits, unitInEtc };
}

/** The kubelets running, ours among them (the unit's main pid picks it among several), and what refuses. */
async function runningKubelet(
  host: Host,
): Promise<{ running: Detection['running']; refusal: string | null; warnings: string[] }> {
  const warnings: string[] = [];
  let refusal: string | null = null;
  const ownNs = await host.procs.ownPidNamespace();
  const candidates = await findKubeletProcesses(host.procs);
  const own: { p: ProcessRecord; managedBy: string }[] = [];
  for (const p of candidates) {
    const c = await classify(p, host.procs, ownNs);
    if (c.foreign) {
      warnings.push(`${c.foreign}: ignored`);
      if (c.managedBy === 'rke2')
        refusal = 'kubelet is run by RKE2, which restarts it itself; kubesup-tui does not migrate it';
    } else own.push({ p, managedBy: c.managedBy });
  }
  if (own.length > 1)
    warnings.push(
      `${own.length} kubelet processes are running (pids ${own.map((o) => o.p.pid).join(', ')}): ` +
        'they fight over their ports',
    );
  if (candidates.length === 0 && (await k3sPresent(host.procs)))
    refusal =
      'this is a k3s node: kubelet is embedded in the k3s process, there is no kubelet to put under supervisord';

  // The unit's main pid picks our kubelet among several.
  const mainPid =
    Number(
      (
        await host.runner.run('systemctl', ['show', '-p', 'MainPID', '--value', KUBELET_UNIT], { timeoutMs: 10_000 })
      ).stdout.trim(),
    ) || 0;
  const chosen = own.find((o) => o.p.pid === mainPid) ?? own.find((o) => o.managedBy === 'supervisord') ?? own[0];
  let running: Detection['running'] = null;
  if (chosen) {
    const p = chosen.p;
    if (!p.argv) warnings.push(`cannot read /proc/${p.pid}/cmdline (not root, or it exited)`);
    if (!p.environ) warnings.push(`cannot read /proc/${p.pid}/environ (not root?): kubelet's environment is unknown`);
    if (p.argv)
      running = {
        pid: p.pid,
        argv: [...p.argv],
        env: p.environ ? { ...p.environ } : null,
        managedBy: chosen.managedBy,
        run: await readProcessRun(host.files, p.pid),
      };
  }
  return { running, refusal, warnings };
}

/** Each flag with its source: the configured expansion's, matched in order; else "running process only". */
function flagSources(
  argv: readonly string[],
  configuredArgs: readonly SourcedArg[],
  running: Detection['running'],
): FlagSource[] {
  const pool = [...configuredArgs];
  return argv.map((arg) => {
    const i = pool.findIndex((a) => a.arg === arg);
    if (i < 0) return { arg, source: running ? `running process (pid ${running.pid}) only` : 'unknown' };
    const [found] = pool.splice(i, 1);
    return { arg, source: originText(found as SourcedArg) };
  });
}

/** kubelet's version from its binary (what it means for the flags carried over); a warning when it will not say. */
export async function kubeletVersion(host: Host, binary: string, warnings: string[]): Promise<string | null> {
  const r = await host.runner.run(binary, ['--version'], { timeoutMs: 10_000 });
  const version = r.exitCode === 0 ? (parseKubeletVersion(r.stdout) ?? null) : null;
  if (!version)
    warnings.push(
      `${binary} --version failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`,
    );
  return version;
}

/** kubelet's healthz, from its --config file; why it cannot be read or verified, as warnings. */
async function kubeletHealthz(host: Host, argv: readonly string[], warnings: string[]) {
  const configPath = kubeletConfigPath(argv) ?? null;
  let configText: string | undefined;
  if (configPath) {
    try {
      configText = (await host.files.read(configPath))?.toString('utf8');
      if (configText === undefined) warnings.push(`kubelet's --config file ${configPath} does not exist`);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      warnings.push(`cannot read kubelet's --config file ${configPath}: ${why}`);
    }
  }
  const healthz = healthzFromKubeletConfig(configText);
  if (healthz.problem) warnings.push(healthz.problem);
  if (healthz.port === 0)
    warnings.push('kubelet has healthzPort: 0 (no healthz server): the migration cannot verify kubelet is healthy');
  return { configPath, healthz };
}

export async function detect(host: Host, options: DetectOptions): Promise<Detection> {
  const warnings: string[] = [];
  const { running, ...fromProcesses } = await runningKubelet(host);
  warnings.push(...fromProcesses.warnings);
  let refusal = fromProcesses.refusal;

  // Configured: the unit as systemd would run it.
  const fromUnit = await detectConfigured(host, KUBELET_UNIT);
  warnings.push(...fromUnit.warnings);
  refusal ??= fromUnit.refusal;
  const configured = fromUnit.configured;
  const configuredArgs = fromUnit.args;

  const argv = running?.argv ?? configured?.argv ?? [];
  if (running && configured) {
    const diff = differingFlags(running.argv, configured.argv);
    if (diff.length) {
      warnings.push(
        `the running kubelet (pid ${running.pid}) differs from what ${KUBELET_UNIT} would start now ` +
          `in ${diff.join(', ')}: the unit or its environment files changed since kubelet started; ` +
          'the running command line is used',
      );
    }
  }

  const flags = flagSources(argv, configuredArgs, running);

  const binary = argv[0]?.startsWith('/') ? argv[0] : null;
  const version = binary ? await kubeletVersion(host, binary, warnings) : null;
  warnings.push(...flagWarnings(argv, version ?? undefined));

  const { configPath, healthz } = await kubeletHealthz(host, argv, warnings);

  const supervisor = await detectSupervisor(host, options.program, options.supervisor);
  warnings.push(...supervisor.problems);

  refusal ??= notUtf8Refusal('kubelet', argv);
  if (argv.length === 0 && !refusal)
    refusal = 'no kubelet command line found: no kubelet process runs and kubelet.service has no usable ExecStart=';

  return {
    argv,
    running,
    configured,
    // Under supervisord already, the process's limits are supervisord's doing, not systemd's.
    carry: configured
      ? carriedRun(configured.run, configured.oomScoreAdjust, running?.managedBy === 'systemd' ? running.run : null)
      : null,
    flags,
    kubelet: { version, binary, healthz: { ...healthz, config: configPath } },
    supervisor,
    node: await nodeFacts(host, KUBELET_UNIT),
    refusal,
    warnings,
  };
}

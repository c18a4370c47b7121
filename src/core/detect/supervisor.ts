/**
 * Where supervisord lives on this node, for a migration: installed or not, its config and include folder,
 * how to reach it, its systemd unit, and whether a program for kubelet already exists.
 */
import path from 'node:path/posix';
import { matchGlob } from '../glob.js';
import type { FileReader, Host } from '../host.js';
import {
  expandPercent,
  expansionNames,
  getValue,
  parseSupervisorConfig,
  type SupervisorConfig,
} from '../supervisor/config.js';
import { pythonMajor, supervisordInterpreter } from '../supervisor/interpreter.js';
import {
  configFromArgv,
  findSupervisordProcess,
  locateSupervisord,
  type SupervisorOverrides,
} from '../supervisor/locate.js';
import { splitWords } from '../systemd/exec-line.js';
import { resolveUnit } from '../systemd/resolve-unit.js';
import { unitState } from '../systemd/unit-state.js';

export interface IncludeInfo {
  /** Absolute glob patterns from `[include] files`. */
  readonly patterns: string[];
  /** Where a new program file goes, and with which extension (`.ini` on EL, `.conf` on Debian). */
  readonly programDir: string;
  readonly extension: string;
}

export interface ExistingProgram {
  readonly name: string;
  readonly file: string;
  readonly command: string;
}

export interface SupervisorDetection {
  readonly installed: boolean;
  readonly binary: string | null;
  readonly version: string | null;
  readonly config: string | null;
  readonly configSource: string;
  readonly include: IncludeInfo | null;
  /** Where kubelet's program file goes: `<programDir>/<program><extension>`; null without [include]. */
  readonly programFile: string | null;
  readonly url: string | null;
  /** Whether the connection needs credentials (they are never printed). */
  readonly auth: boolean;
  readonly unit: { readonly name: string; readonly active: string; readonly enabled: string } | null;
  readonly pid: number | null;
  /** A program already configured for kubelet: already migrated. */
  readonly program: ExistingProgram | null;
  readonly programs: string[];
  readonly problems: string[];
  /** The Python that runs supervisord (the resident agent runs with it); null when it cannot be told. */
  readonly python?: SupervisorPython | null;
}

export interface SupervisorPython {
  readonly path: string;
  readonly major: number;
}

const BINARY_PLACES = [
  '/usr/bin/supervisord',
  '/usr/local/bin/supervisord',
  '/bin/supervisord',
  '/usr/sbin/supervisord',
];
export const SUPERVISOR_UNITS = ['supervisord.service', 'supervisor.service'];

async function expandGlob(files: FileReader, pattern: string): Promise<string[]> {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  if (!/[*?[]/.test(base)) return (await files.read(pattern)) ? [pattern] : [];
  return (await files.list(dir)).filter((n) => matchGlob(base, n)).map((n) => `${dir}/${n}`);
}

export function includeInfo(
  config: SupervisorConfig,
  env: Readonly<Record<string, string | undefined>>,
): IncludeInfo | null {
  const raw = getValue(config, 'include', 'files');
  if (raw === undefined) return null;
  const names = expansionNames(config.path, env);
  const patterns = raw
    .split(/\s+/)
    .filter(Boolean)
    .map((p) => path.resolve(path.dirname(config.path), expandPercent(p, names)));
  // The first pattern of the form DIR/*.EXT (or DIR/*) names where programs live.
  const usable = patterns.find((p) => /^\*(\.[^*?[\]/]+)?$/.test(path.basename(p))) ?? patterns[0];
  if (!usable) return null;
  const base = path.basename(usable);
  const extension = /^\*(\.[^*?[\]/]+)$/.exec(base)?.[1] ?? '.conf';
  return { patterns, programDir: path.dirname(usable), extension };
}

export async function detectSupervisor(
  host: Host,
  programName: string,
  overrides: SupervisorOverrides = {},
  /** The binary the service runs: a program whose command runs it (or its wrapper `<binary>.sh`) is one for it. */
  binaryName = 'kubelet',
): Promise<SupervisorDetection> {
  const problems: string[] = [];
  const { binary, version } = await installedSupervisord(host, problems);
  const { unit, unitConfig } = await supervisorUnit(host);

  // Which config: --supervisor-conf, else the running daemon's -c, else the -c in its unit, else the search order.
  const locate = (configPath?: string) =>
    locateSupervisord(host, {
      ...(configPath ? { configPath } : {}),
      ...(overrides.url ? { url: overrides.url } : {}),
    }).catch((error: Error) => {
      problems.push(error.message);
      return null;
    });
  let location = await locate(overrides.configPath);
  let configSource = location?.configSource ?? '';
  if (!overrides.configPath && unitConfig && location && location.pid === null) {
    location = await locate(unitConfig);
    configSource = `-c in ${unit?.name ?? 'its unit'}`;
  }
  const config = location?.config ?? null;
  if (config) problems.push(...config.problems);
  const { include, programs } = config
    ? await existingPrograms(host, config, problems)
    : { include: null, programs: [] as ExistingProgram[] };

  return {
    installed: binary !== null,
    binary,
    version,
    config: location?.configPath ?? null,
    configSource,
    include,
    programFile: include ? `${include.programDir}/${programName}${include.extension}` : null,
    url: location?.endpoint?.url ?? null,
    auth: Boolean(location?.endpoint?.username),
    unit,
    pid: location?.pid ?? null,
    program: programFor(programs, programName, binaryName),
    programs: programs.map((p) => p.name),
    problems,
    python: binary ? await supervisorPython(host, binary) : null,
  };
}

/**
 * supervisord's interpreter: the running daemon's, else its script's shebang; and its major version. Unknown
 * is null, no problem here: only a plan that installs the agent needs it, and says so.
 */
async function supervisorPython(host: Host, binary: string): Promise<SupervisorPython | null> {
  const running = await findSupervisordProcess(host.procs);
  const full = running ? await host.procs.full(running.pid) : undefined;
  const script = await host.files.readRange(binary, 0, 200).catch(() => undefined);
  const python = supervisordInterpreter({
    ...(full?.exe ? { exe: full.exe } : {}),
    ...(running ? { argv: running.argv } : {}),
    ...(script ? { firstLine: script.toString('utf8').split('\n')[0] ?? '' } : {}),
  });
  if (!python) return null;
  const r = await host.runner.run(python, ['--version'], { timeoutMs: 10_000 });
  const major = pythonMajor(`${r.stdout}\n${r.stderr}`);
  return r.exitCode === 0 && major !== null ? { path: python, major } : null;
}

/** supervisord's binary where a package puts it, and its version (a failure to tell is a problem, not an end). */
async function installedSupervisord(
  host: Host,
  problems: string[],
): Promise<{ binary: string | null; version: string | null }> {
  let binary: string | null = null;
  for (const p of BINARY_PLACES) {
    if (await host.files.exists(p)) {
      binary = p;
      break;
    }
  }
  if (!binary) return { binary, version: null };
  const r = await host.runner.run(binary, ['--version'], { timeoutMs: 10_000 });
  const version = r.exitCode === 0 ? r.stdout.trim() || null : null;
  if (!version) problems.push(`${binary} --version failed: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
  return { binary, version };
}

/** Its systemd unit: supervisord.service (EPEL, Fedora) or supervisor.service (Debian, Ubuntu), and its -c. */
async function supervisorUnit(
  host: Host,
): Promise<{ unit: SupervisorDetection['unit']; unitConfig: string | undefined }> {
  for (const name of SUPERVISOR_UNITS) {
    const resolved = await resolveUnit(host.files, name);
    if (!resolved.fragment) continue;
    const exec = resolved.execStart[0];
    const state = await unitState(host.runner, name);
    return {
      unit: { name, active: state.active || 'unknown', enabled: state.enabled || 'unknown' },
      unitConfig: exec ? configFromArgv(exec.words) : undefined,
    };
  }
  return { unit: null, unitConfig: undefined };
}

/** Every [program:x] in the config and the files its [include] names, and where new programs go. */
async function existingPrograms(
  host: Host,
  config: SupervisorConfig,
  problems: string[],
): Promise<{ include: IncludeInfo | null; programs: ExistingProgram[] }> {
  let include: IncludeInfo | null = null;
  try {
    include = includeInfo(config, host.env);
  } catch (error) {
    problems.push(`${config.path}: [include] files: ${(error as Error).message}`);
  }
  if (!include) problems.push(`${config.path} has no [include] section: the migration will add one`);
  const sources: SupervisorConfig[] = [config];
  for (const pattern of include?.patterns ?? []) {
    for (const file of await expandGlob(host.files, pattern)) {
      const text = await host.files.read(file).catch(() => undefined);
      if (!text) continue;
      const parsed = parseSupervisorConfig(text.toString('utf8'), file);
      problems.push(...parsed.problems);
      sources.push(parsed);
    }
  }
  const programs = sources.flatMap((source) =>
    [...source.sections]
      .filter(([section]) => section.startsWith('program:'))
      .map(([section, keys]) => ({
        name: section.slice('program:'.length),
        file: source.path,
        command: keys.get('command')?.value ?? '',
      })),
  );
  return { include, programs };
}

/** Already migrated: a program of that name, or one whose command runs the binary (a hand-made kubelet.sh too). */
function programFor(programs: ExistingProgram[], programName: string, binaryName: string): ExistingProgram | null {
  const runsIt = new RegExp(`(^|/)${binaryName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.sh)?$`);
  const words = (command: string) => {
    try {
      return splitWords(command, { cunescape: false, relax: true });
    } catch {
      return [];
    }
  };
  return (
    programs.find((p) => p.name === programName) ??
    programs.find((p) => words(p.command).some((w) => runsIt.test(w))) ??
    null
  );
}

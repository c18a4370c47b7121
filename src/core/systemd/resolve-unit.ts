/**
 * A service unit as systemd would load it: the fragment first found on the unit search path, drop-ins from
 * every unit directory merged by file name, and the service's environment computed the way execution does.
 * (systemd.unit(5) "Unit File Load Path" and drop-ins; systemd.exec(5) Environment=, EnvironmentFile=.)
 */
import path from 'node:path/posix';
import { matchGlob } from '../glob.js';
import type { FileReader } from '../host.js';
import { isValidEnvName, parseEnvFile } from './env-file.js';
import {
  type EnvValue,
  expandSpecifiers,
  type Origin,
  type ParsedCommand,
  parseCommandLine,
  type SpecifierContext,
  splitWords,
} from './exec-line.js';
import { FACE_DROP_IN } from './face-drop-in.js';
import { parseUnitFile, type UnitEntry } from './unit-file.js';

/** System unit search path, highest priority first (systemd.unit(5)); /lib for distributions without merged /usr. */
export const UNIT_SEARCH_PATH = [
  '/etc/systemd/system.control',
  '/run/systemd/system.control',
  '/run/systemd/transient',
  '/run/systemd/generator.early',
  '/etc/systemd/system',
  '/etc/systemd/system.attached',
  '/run/systemd/system',
  '/run/systemd/system.attached',
  '/run/systemd/generator',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
  '/run/systemd/generator.late',
];

export interface EnvFileRef {
  readonly path: string;
  readonly optional: boolean;
  readonly origin: Origin;
  /** Files matched (a glob may match several); empty when none exists. */
  readonly read: string[];
}

export interface ResolvedUnit {
  readonly name: string;
  readonly fragment: string | null;
  readonly masked: boolean;
  readonly dropIns: string[];
  readonly entries: UnitEntry[];
  readonly execStart: ParsedCommand[];
  readonly execStartPre: ParsedCommand[];
  /** The service's environment: Environment=, then EnvironmentFile= values overriding them. */
  readonly environment: ReadonlyMap<string, EnvValue>;
  readonly environmentFiles: EnvFileRef[];
  readonly problems: string[];
  /** Fatal problems: systemd would refuse to start the unit. */
  readonly errors: string[];
  /** Last value of a setting, e.g. get('Service', 'Restart'). */
  get(section: string, key: string): string | undefined;
  /** All values of a list setting after resets, e.g. all('Unit', 'After'). */
  all(section: string, key: string): UnitEntry[];
}

async function readText(files: FileReader, p: string): Promise<{ text?: string; problem?: string }> {
  try {
    const buf = await files.read(p);
    if (!buf) return {};
    if (buf.includes(0)) return { problem: `${p} is not a text file (it holds NUL bytes); ignored` };
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
    return { text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: `${p} cannot be read (${code ?? (error as Error).message})` };
  }
}

/** The unit's file: the first in the search path, unless a link to /dev/null there masks it. */
async function findFragment(
  files: FileReader,
  name: string,
  ignoreMask: boolean,
): Promise<{ fragment: string | null; masked: boolean }> {
  let fragment: string | null = null;
  let masked = false;
  for (const dir of UNIT_SEARCH_PATH) {
    const p = `${dir}/${name}`;
    const link = await files.readLink(p);
    if (link === '/dev/null') {
      masked = true;
      if (ignoreMask) continue;
      break;
    }
    if (link !== undefined || (await files.read(p).catch(() => Buffer.alloc(0))) !== undefined) {
      fragment = p;
      break;
    }
  }
  return { fragment, masked };
}

/**
 * Drop-ins: <dir>/<name>.d/*.conf and <dir>/service.d/*.conf from every directory; for one file name the
 * highest-priority directory wins; all are applied in file-name order.
 */
async function findDropIns(files: FileReader, name: string, ignoreFace: boolean): Promise<string[]> {
  const byName = new Map<string, string>();
  for (const dir of UNIT_SEARCH_PATH) {
    for (const d of [`${dir}/service.d`, `${dir}/${name}.d`]) {
      for (const f of await files.list(d)) {
        if (ignoreFace && f === FACE_DROP_IN) continue;
        if (f.endsWith('.conf') && !byName.has(f)) byName.set(f, `${d}/${f}`);
      }
    }
  }
  return [...byName.keys()].sort().map((k) => byName.get(k) as string);
}

/** Environment= assignments, by name, the later winning; a bad one is a problem and is ignored. */
function environmentAssignments(
  entries: readonly UnitEntry[],
  spec: SpecifierContext,
  problems: string[],
): Map<string, EnvValue> {
  const environment = new Map<string, EnvValue>();
  for (const e of entries) {
    let words: string[];
    try {
      words = splitWords(e.value, { cunescape: true, relax: false }).map((w) => expandSpecifiers(w, spec));
    } catch (error) {
      problems.push(`${e.file}:${e.line}: Environment= ignored: ${(error as Error).message}`);
      continue;
    }
    for (const w of words) {
      const eq = w.indexOf('=');
      if (eq <= 0 || !isValidEnvName(w.slice(0, eq))) {
        problems.push(`${e.file}:${e.line}: invalid environment assignment "${w}", ignored`);
        continue;
      }
      environment.set(w.slice(0, eq), {
        value: w.slice(eq + 1),
        origin: { file: e.file, line: e.line },
        kind: 'Environment',
      });
    }
  }

  return environment;
}

/**
 * One EnvironmentFile= line: the files it names (a glob in the name matches several), their assignments into
 * `environment`; a required file that cannot be read is an error (systemd would not start the unit).
 */
async function readEnvironmentFile(
  files: FileReader,
  e: UnitEntry,
  spec: SpecifierContext,
  into: { environment: Map<string, EnvValue>; problems: string[]; errors: string[] },
): Promise<EnvFileRef | null> {
  const { environment, problems, errors } = into;
  const optional = e.value.startsWith('-');
  let p = optional ? e.value.slice(1) : e.value;
  try {
    p = expandSpecifiers(p, spec);
  } catch (error) {
    problems.push(`${e.file}:${e.line}: EnvironmentFile= ignored: ${(error as Error).message}`);
    return null;
  }
  const origin = { file: e.file, line: e.line };
  let matched: string[] = [p];
  if (/[*?]/.test(path.basename(p))) {
    matched = (await files.list(path.dirname(p)))
      .filter((n) => matchGlob(path.basename(p), n))
      .map((n) => `${path.dirname(p)}/${n}`);
  }
  const read: string[] = [];
  for (const f of matched) {
    const { text, problem } = await readText(files, f);
    if (problem) {
      (optional ? problems : errors).push(`${problem}${optional ? '' : ': systemd would fail to start the unit'}`);
      continue;
    }
    if (text === undefined) continue;
    read.push(f);
    const parsed = parseEnvFile(text, f);
    problems.push(...parsed.problems);
    for (const a of parsed.assignments) {
      if (a.value.includes('\uFFFD')) {
        problems.push(`${f}:${a.line}: ${a.name} is not valid UTF-8; systemd ignores it`);
        continue;
      }
      environment.set(a.name, { value: a.value, origin: { file: f, line: a.line }, kind: 'EnvironmentFile' });
    }
  }
  if (read.length === 0 && !optional && !errors.some((x) => x.startsWith(p))) {
    errors.push(`${p} (EnvironmentFile= at ${e.file}:${e.line}) does not exist: systemd would fail to start the unit`);
  }
  return { path: p, optional, origin, read };
}

/** The entries of the unit file and its drop-ins, in the order systemd applies them. */
async function readEntries(files: FileReader, paths: readonly string[], problems: string[]): Promise<UnitEntry[]> {
  const entries: UnitEntry[] = [];
  for (const file of paths) {
    const { text, problem } = await readText(files, file);
    if (problem) problems.push(problem);
    if (text === undefined) continue;
    const parsed = parseUnitFile(text, file);
    problems.push(...parsed.problems);
    entries.push(...parsed.entries);
  }
  return entries;
}

/** A list setting's values: an empty assignment resets what came before. */
function listSetting(entries: readonly UnitEntry[], section: string, key: string): UnitEntry[] {
  let out: UnitEntry[] = [];
  for (const e of entries) {
    if (e.section !== section || e.key !== key) continue;
    if (e.value === '') out = [];
    else out.push(e);
  }
  return out;
}

export async function resolveUnit(
  files: FileReader,
  name: string,
  ctx: Omit<SpecifierContext, 'unitName'> = {},
  /**
   * See through what a migration did to the unit: its mask (ignoreMask) and its face drop-in (ignoreFace), to
   * read what the unit itself says it runs (detection and drift checks after a migration).
   */
  options: { ignoreMask?: boolean; ignoreFace?: boolean } = {},
): Promise<ResolvedUnit> {
  const problems: string[] = [];
  const errors: string[] = [];
  const { fragment, masked } = await findFragment(files, name, options.ignoreMask ?? false);
  const dropIns = await findDropIns(files, name, options.ignoreFace ?? false);

  const read = fragment && (!masked || options.ignoreMask) ? [fragment, ...dropIns] : [];
  const entries = await readEntries(files, read, problems);
  const all = (section: string, key: string) => listSetting(entries, section, key);
  const get = (section: string, key: string) =>
    entries.filter((e) => e.section === section && e.key === key).at(-1)?.value;
  const spec: SpecifierContext = { unitName: name, ...ctx };

  const commands = (key: string): ParsedCommand[] =>
    all('Service', key).flatMap((e) => {
      try {
        return [parseCommandLine(e.value, { file: e.file, line: e.line }, spec)];
      } catch (error) {
        problems.push(`${e.file}:${e.line}: ${key}= ignored: ${(error as Error).message}`);
        return [];
      }
    });
  const execStart = commands('ExecStart');
  const execStartPre = commands('ExecStartPre');

  const environment = environmentAssignments(all('Service', 'Environment'), spec, problems);

  // EnvironmentFile= values override Environment= whatever the order; later files win.
  const environmentFiles: EnvFileRef[] = [];
  for (const e of all('Service', 'EnvironmentFile')) {
    const ref = await readEnvironmentFile(files, e, spec, { environment, problems, errors });
    if (ref) environmentFiles.push(ref);
  }

  if (!masked && fragment && execStart.length === 0) errors.push(`${name} has no ExecStart= (after drop-ins)`);
  const type = get('Service', 'Type') ?? 'simple';
  if (execStart.length > 1 && type !== 'oneshot')
    errors.push(`${name} has ${execStart.length} ExecStart= lines; systemd refuses more than one unless Type=oneshot`);

  return {
    name,
    fragment,
    masked,
    dropIns: fragment ? dropIns : [],
    entries,
    execStart,
    execStartPre,
    environment,
    environmentFiles,
    problems,
    errors,
    get,
    all,
  };
}

/**
 * How systemd runs a service's process, read from its unit, in the form the wrapper and the program file carry
 * it over: resource limits (systemd.exec(5) "Process Properties"), umask, working directory, nice, user and
 * group, and how it is stopped (systemd.kill(5)). Values systemd would reject are problems, never guesses.
 */
import type { ResolvedUnit } from './resolve-unit.js';

/** A limit value: a number in the unit prlimit(1) takes for the resource, or unlimited. */
export type LimitValue = number | 'unlimited';

export interface Limit {
  /** prlimit(1)'s name for the resource, e.g. `nofile`. */
  readonly resource: string;
  /** The unit setting it comes from, e.g. `LimitNOFILE`. */
  readonly setting: string;
  readonly soft: LimitValue;
  readonly hard: LimitValue;
}

export type KillMode = 'control-group' | 'mixed' | 'process' | 'none';

export interface RunSettings {
  readonly limits: readonly Limit[];
  /** Octal, as the unit wrote it (e.g. `0027`); null: supervisord's (022). */
  readonly umask: string | null;
  /** Where it starts; `optional` when the unit prefixed it with `-` (a missing directory is not an error). */
  readonly workingDirectory: { readonly path: string; readonly optional: boolean } | null;
  readonly nice: number | null;
  readonly user: string | null;
  readonly group: string | null;
  readonly killMode: KillMode;
  /** Signal name without SIG, e.g. `TERM`. */
  readonly killSignal: string;
  /** Seconds before SIGKILL; null when the unit does not say (systemd's default is 90 s). */
  readonly timeoutStopSec: number | null;
  /** Type=notify: it says READY=1 to NOTIFY_SOCKET once started (what systemd waits for). */
  readonly notify: boolean;
  /** NotifyAccess=: whose messages count, the main process's (`main`, the default) or any of its processes'. */
  readonly notifyAccess?: 'main' | 'all';
  /** TimeoutStartSec= in whole seconds (90 when the unit sets none); null for infinity or 0 (no bound). */
  readonly timeoutStartSec?: number | null;
  /** WatchdogSec= in whole seconds; null (or absent) when the unit sets none, 0 or infinity. */
  readonly watchdogSec?: number | null;
}

/** systemd's DefaultTimeoutStartSec=: how long a start may take (a notify unit's READY=1) when the unit sets none. */
export const DEFAULT_START_TIMEOUT_S = 90;

/** Unit setting -> prlimit resource, and how its value is read (systemd.exec(5) table of limits). */
const LIMITS: Record<string, { resource: string; kind: 'count' | 'bytes' | 'seconds' | 'microseconds' }> = {
  LimitCPU: { resource: 'cpu', kind: 'seconds' },
  LimitFSIZE: { resource: 'fsize', kind: 'bytes' },
  LimitDATA: { resource: 'data', kind: 'bytes' },
  LimitSTACK: { resource: 'stack', kind: 'bytes' },
  LimitCORE: { resource: 'core', kind: 'bytes' },
  LimitRSS: { resource: 'rss', kind: 'bytes' },
  LimitNOFILE: { resource: 'nofile', kind: 'count' },
  LimitAS: { resource: 'as', kind: 'bytes' },
  LimitNPROC: { resource: 'nproc', kind: 'count' },
  LimitMEMLOCK: { resource: 'memlock', kind: 'bytes' },
  LimitLOCKS: { resource: 'locks', kind: 'count' },
  LimitSIGPENDING: { resource: 'sigpending', kind: 'count' },
  LimitMSGQUEUE: { resource: 'msgqueue', kind: 'bytes' },
  LimitNICE: { resource: 'nice', kind: 'count' },
  LimitRTPRIO: { resource: 'rtprio', kind: 'count' },
  LimitRTTIME: { resource: 'rttime', kind: 'microseconds' },
};
export const LIMIT_SETTINGS = Object.keys(LIMITS);

/** /proc/PID/limits row name -> prlimit resource. */
export const PROC_LIMIT_NAMES: Record<string, string> = {
  'Max cpu time': 'cpu',
  'Max file size': 'fsize',
  'Max data size': 'data',
  'Max stack size': 'stack',
  'Max core file size': 'core',
  'Max resident set': 'rss',
  'Max processes': 'nproc',
  'Max open files': 'nofile',
  'Max locked memory': 'memlock',
  'Max address space': 'as',
  'Max file locks': 'locks',
  'Max pending signals': 'sigpending',
  'Max msgqueue size': 'msgqueue',
  'Max nice priority': 'nice',
  'Max realtime priority': 'rtprio',
  'Max realtime timeout': 'rttime',
};

const BYTE_SUFFIX: Record<string, number> = {
  '': 1,
  K: 2 ** 10,
  M: 2 ** 20,
  G: 2 ** 30,
  T: 2 ** 40,
  P: 2 ** 50,
  E: 2 ** 60,
};
const TIME_SUFFIX_S: Record<string, number> = {
  us: 1e-6,
  usec: 1e-6,
  ms: 1e-3,
  msec: 1e-3,
  s: 1,
  sec: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};

/** A systemd time span ("90", "1min 30s", "5s") in seconds; `unit` is what a bare number means. */
export function parseTimeSpan(text: string, bareUnitS = 1): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * bareUnitS;
  let total = 0;
  let rest = t;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)\s*/.exec(rest);
    const factor = m ? TIME_SUFFIX_S[m[2] as string] : undefined;
    if (!m || factor === undefined) return null;
    total += Number(m[1]) * factor;
    rest = rest.slice(m[0].length);
  }
  return t ? total : null;
}

function parseOne(text: string, kind: (typeof LIMITS)[string]['kind']): LimitValue | null {
  const t = text.trim();
  if (t === 'infinity') return 'unlimited';
  if (kind === 'count') return /^\d+$/.test(t) ? Number(t) : null;
  if (kind === 'bytes') {
    const m = /^(\d+)([KMGTPE]?)$/.exec(t);
    return m ? Number(m[1]) * (BYTE_SUFFIX[m[2] as string] as number) : null;
  }
  const s = parseTimeSpan(t, kind === 'seconds' ? 1 : 1e-6);
  if (s === null) return null;
  return kind === 'seconds' ? Math.floor(s) : Math.round(s * 1e6);
}

/** `LimitX=value` or `soft:hard`, as systemd reads it; null when systemd would reject it. */
export function parseLimit(setting: string, value: string): Limit | null {
  const spec = LIMITS[setting];
  if (!spec) return null;
  const [softText, hardText, extra] = value.split(':');
  if (extra !== undefined || softText === undefined) return null;
  const soft = parseOne(softText, spec.kind);
  const hard = hardText === undefined ? soft : parseOne(hardText, spec.kind);
  if (soft === null || hard === null) return null;
  if (soft !== 'unlimited' && hard !== 'unlimited' && soft > hard) return null;
  if (hard !== 'unlimited' && soft === 'unlimited') return null;
  return { resource: spec.resource, setting, soft, hard };
}

/** /proc/PID/limits as resource -> soft and hard (in prlimit's units: seconds, bytes, counts, µs). */
export function parseProcLimits(text: string): Map<string, { soft: LimitValue; hard: LimitValue }> {
  const out = new Map<string, { soft: LimitValue; hard: LimitValue }>();
  for (const line of text.split('\n').slice(1)) {
    const name = Object.keys(PROC_LIMIT_NAMES).find((n) => line.startsWith(n));
    if (!name) continue;
    const [soft, hard] = line.slice(name.length).trim().split(/\s+/);
    const value = (v: string | undefined): LimitValue =>
      v === 'unlimited' || v === undefined ? 'unlimited' : Number(v);
    out.set(PROC_LIMIT_NAMES[name] as string, { soft: value(soft), hard: value(hard) });
  }
  return out;
}

/** The signals supervisord's stopsignal takes. */
const SIGNALS = new Set(['HUP', 'INT', 'QUIT', 'KILL', 'TERM', 'USR1', 'USR2']);

/** The run settings of the unit, and the values it sets that systemd (or supervisord) would not take. */
export function runSettings(unit: ResolvedUnit): { settings: RunSettings; problems: string[] } {
  const problems: string[] = [];
  const get = (key: string) => {
    const v = unit.get('Service', key);
    return v === undefined || v === '' ? undefined : v;
  };
  const limits: Limit[] = [];
  for (const setting of LIMIT_SETTINGS) {
    const value = get(setting);
    if (value === undefined) continue;
    const limit = parseLimit(setting, value);
    if (limit) limits.push(limit);
    else problems.push(`${unit.name}: ${setting}=${value} is not a limit systemd accepts: not carried`);
  }
  const umask = get('UMask') ?? null;
  if (umask !== null && !/^0?[0-7]{1,3}$/.test(umask)) problems.push(`${unit.name}: UMask=${umask} is not octal`);
  const wd = get('WorkingDirectory');
  const optional = wd?.startsWith('-') ?? false;
  const wdPath = optional ? wd?.slice(1) : wd;
  if (wdPath === '~') problems.push(`${unit.name}: WorkingDirectory=~ (its user's home) is not carried: it runs in /`);
  const niceText = get('Nice');
  const nice = niceText === undefined ? null : Number(niceText);
  if (nice !== null && !(Number.isInteger(nice) && nice >= -20 && nice <= 19))
    problems.push(`${unit.name}: Nice=${niceText} is not between -20 and 19`);
  const killModeText = get('KillMode') ?? 'control-group';
  const killMode = (['control-group', 'mixed', 'process', 'none'] as const).find((m) => m === killModeText);
  if (!killMode) problems.push(`${unit.name}: KillMode=${killModeText} is unknown: stopped as control-group`);
  const signal = (get('KillSignal') ?? 'SIGTERM').replace(/^SIG/, '');
  if (!SIGNALS.has(signal)) problems.push(`${unit.name}: KillSignal=${signal}: supervisord stops with TERM instead`);
  const watchdogText = get('WatchdogSec');
  const watchdog = watchdogText === undefined || watchdogText === 'infinity' ? null : parseTimeSpan(watchdogText);
  const startText = get('TimeoutStartSec') ?? get('TimeoutSec');
  const start = startText === undefined ? DEFAULT_START_TIMEOUT_S : parseTimeSpan(startText);
  if (startText !== undefined && startText !== 'infinity' && start === null)
    problems.push(`${unit.name}: TimeoutStartSec=${startText} is not a time span`);
  const stopText = get('TimeoutStopSec') ?? get('TimeoutSec');
  const stop = stopText === undefined ? null : stopText === 'infinity' ? null : parseTimeSpan(stopText);
  if (stopText !== undefined && stopText !== 'infinity' && stop === null)
    problems.push(`${unit.name}: TimeoutStopSec=${stopText} is not a time span`);
  return {
    settings: {
      limits,
      umask: umask !== null && /^0?[0-7]{1,3}$/.test(umask) ? umask : null,
      workingDirectory: wdPath && wdPath !== '~' ? { path: wdPath, optional } : null,
      nice: nice !== null && Number.isInteger(nice) && nice >= -20 && nice <= 19 ? nice : null,
      user: get('User') ?? null,
      group: get('Group') ?? null,
      killMode: killMode ?? 'control-group',
      killSignal: SIGNALS.has(signal) ? signal : 'TERM',
      timeoutStopSec: stop === null ? null : Math.max(1, Math.ceil(stop)),
      notify: /^notify/.test(get('Type') ?? ''),
      // `exec` adds the control processes (ExecStartPre=...): under supervisord they end before the exec.
      notifyAccess: get('NotifyAccess') === 'all' ? 'all' : 'main',
      timeoutStartSec: start ? Math.max(1, Math.ceil(start)) : null,
      watchdogSec: watchdog ? Math.max(1, Math.ceil(watchdog)) : null,
    },
    problems,
  };
}

/** A unit that sets none of them: what systemd does by default. */
export const DEFAULT_RUN: RunSettings = {
  limits: [],
  umask: null,
  workingDirectory: null,
  nice: null,
  user: null,
  group: null,
  killMode: 'control-group',
  killSignal: 'TERM',
  timeoutStopSec: null,
  notify: false,
};

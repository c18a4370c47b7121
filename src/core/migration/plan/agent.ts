/**
 * The resident agent (src/resident/kubesup-agent.py) as the migration installs it: what it does for the moved
 * program (watchdog, liveness probe, alive FIFO), decided here once for the CLI and the TUI, and said in words
 * for the preview. The files it takes are rendered in agent-files.ts.
 */
import { UsageError } from '../../errors.js';
import type { HealthCheck } from '../../health/service-health.js';
import { versionAtLeast } from '../../kubelet/flags.js';
import { DEFAULT_START_TIMEOUT_S, type RunSettings } from '../../systemd/run-settings.js';

/** kubelet's SystemdWatchdog: beta and on by default from 1.32, GA in 1.35. */
export const WATCHDOG_SINCE = '1.32.0';
/** The timeout when the unit sets no WatchdogSec= (the docs' example says 30 s; slow registrations need more). */
export const DEFAULT_WATCHDOG_S = 60;
/** The liveness probe for kubelets without the watchdog: GCE's health-monitor.sh and node-problem-detector's. */
export const DEFAULT_PROBE = { interval: 10, timeout: 10, failures: 6, grace: 120 } as const;
/** A hung program gets SIGABRT (or SIGTERM) and SIGKILL this many seconds later. */
export const KILL_GRACE_S = 10;

/** What the operator asked: the watchdog's timeout (undefined: the default), or none (--no-watchdog). */
export type WatchdogChoice =
  | { readonly kind: 'default' }
  | { readonly kind: 'off' }
  | { readonly kind: 'sec'; readonly sec: number };

export interface AgentOptions {
  /** The agent's Python sources, relative path (kubesup-agent.py, kubesup_agent/x.py) to text. */
  readonly sources: Readonly<Record<string, string>>;
  readonly watchdog: WatchdogChoice;
  /** node_exporter's textfile folder (--textfile-dir, else found on the node), or null: no metrics file. */
  readonly textfileDir: string | null;
  /** Where that folder came from, for the preview (`--textfile-dir`, `node_exporter pid 812's ...`). */
  readonly textfileFrom?: string;
  /** --probe: the liveness probe's times the operator set (the rest are DEFAULT_PROBE's). */
  readonly probe?: ProbeTimes;
}

/** The liveness probe's times, in seconds: every `interval`, `timeout` each, `failures` in a row, after `grace`. */
export type ProbeTimes = Partial<Record<keyof typeof DEFAULT_PROBE, number>>;

export interface ProbeSettings {
  readonly url: string;
  readonly interval: number;
  readonly timeout: number;
  readonly failures: number;
  readonly grace: number;
}

/** The agent's settings for one program: its agent.d/<program>.json. */
export interface AgentProgram {
  readonly unit: string;
  /** The wrapper holds a FIFO the agent polls: a death wakes supervisord at once. Off when children outlive it. */
  readonly alive_fifo: boolean;
  readonly watchdog_sec: number | null;
  readonly kill_grace: number;
  readonly healthz: ProbeSettings | null;
  /** Type=notify: NOTIFY_SOCKET in the wrapper, and its READY=1 marks it started. Absent (older journals): no. */
  readonly notify?: boolean;
  /** NotifyAccess=: `main`, only the main process's messages count; `all`, any of its processes'. */
  readonly notify_access?: 'main' | 'all';
  /**
   * TimeoutStartSec=: no READY=1 this long after its start, and the agent fails the start as systemd does: SIGTERM
   * to the main process alone (a KillMode=process unit's children live on), SIGKILL kill_grace later, and
   * supervisord starts it again. Null: it may take for ever (infinity, 0).
   */
  readonly start_timeout_sec?: number | null;
}

/** The wizard's `w`: the next choice after this one (its default, 30 s, 120 s, none: the liveness probe). */
export function nextWatchdogChoice(c: WatchdogChoice): WatchdogChoice {
  if (c.kind === 'default') return { kind: 'sec', sec: 30 };
  if (c.kind === 'sec' && c.sec < 120) return { kind: 'sec', sec: 120 };
  if (c.kind === 'sec') return { kind: 'off' };
  return { kind: 'default' };
}

/** `--watchdog-sec N`: whole seconds above 1, as kubelet takes it. */
export function parseWatchdogSec(text: string): WatchdogChoice {
  const sec = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(sec))
    throw new UsageError(`--watchdog-sec: expected whole seconds, such as 60, got ${JSON.stringify(text)}`);
  if (sec <= 1) throw new UsageError(`--watchdog-sec: ${sec} s is too short (kubelet refuses 1 s or less)`);
  if (sec > 86_400) throw new UsageError(`--watchdog-sec: ${sec} s is more than a day`);
  return { kind: 'sec', sec };
}

/** `--probe interval=N,timeout=N,failures=N,grace=N` (any of them): whole numbers, as the agent takes them. */
export function parseProbe(text: string): ProbeTimes {
  const times: Record<string, number> = {};
  for (const item of text.split(',')) {
    const [key = '', value = ''] = item.trim().split('=', 2);
    if (!(key in DEFAULT_PROBE))
      throw new UsageError(`--probe: expected interval=, timeout=, failures= or grace=, got ${JSON.stringify(item)}`);
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    const least = key === 'grace' ? 0 : 1;
    if (!Number.isSafeInteger(n) || n < least || n > 86_400)
      throw new UsageError(`--probe: ${key} wants whole seconds from ${least} to 86400, got ${JSON.stringify(value)}`);
    times[key] = n;
  }
  return times;
}

/** What the agent does for the program, and the warnings that go with the choice. */
export function agentProgram(
  input: {
    readonly unit: string;
    readonly name: string;
    /** kubelet's version (x.y.z) from `kubelet --version`; null for other units or when it would not say. */
    readonly version: string | null;
    readonly run: RunSettings;
    readonly health: HealthCheck;
  },
  choice: WatchdogChoice,
  probe: ProbeTimes = {},
): { program: AgentProgram; warnings: string[] } {
  const warnings: string[] = [];
  const kubelet = input.unit === 'kubelet.service';
  // containerd's shims outlive it and would hold the FIFO open: the fast path off for any such unit.
  const aliveFifo = input.run.killMode !== 'process' && input.name !== 'containerd';
  const hasWatchdog = kubelet && input.version !== null && versionAtLeast(input.version, WATCHDOG_SINCE);
  let watchdog: number | null = null;
  if (hasWatchdog && choice.kind !== 'off')
    watchdog = choice.kind === 'sec' ? choice.sec : (input.run.watchdogSec ?? DEFAULT_WATCHDOG_S);
  // Another unit's own WatchdogSec= is served as systemd served it: its daemon pings only when it is set.
  else if (!kubelet && choice.kind !== 'off') watchdog = input.run.watchdogSec ?? null;
  if (!hasWatchdog && choice.kind === 'sec') warnings.push(`--watchdog-sec ignored: ${watchdogAbsence(input)}`);
  const url = input.health.kind === 'http' ? input.health.url : null;
  let healthz: ProbeSettings | null = null;
  // The probe is kubelet's when it has no watchdog; other units' probes are off by default.
  if (kubelet && watchdog === null) {
    if (url && probeable(url)) healthz = { url, ...DEFAULT_PROBE, ...probe };
    else warnings.push(`no liveness probe: the agent probes http://<IPv4 or localhost>/ only, not ${url ?? '-'}`);
  } else if (Object.keys(probe).length > 0) {
    const why = kubelet ? 'kubelet has its watchdog (--no-watchdog: the probe)' : "the probe is kubelet's only";
    warnings.push(`--probe ignored: ${why}`);
  }
  const notify = input.run.notify
    ? {
        notify: true,
        notify_access: input.run.notifyAccess ?? 'main',
        start_timeout_sec:
          input.run.timeoutStartSec === undefined ? DEFAULT_START_TIMEOUT_S : input.run.timeoutStartSec,
      }
    : {};
  return {
    program: {
      unit: input.unit,
      alive_fifo: aliveFifo,
      watchdog_sec: watchdog,
      kill_grace: KILL_GRACE_S,
      healthz,
      ...notify,
    },
    warnings,
  };
}

/**
 * What an operator's --watchdog-sec, --no-watchdog or --probe on a migrated node asks that its migration did not
 * do, in words (`watchdog 60 s -> 30 s`), or null: nothing new (the defaults ask nothing; settings a fresh
 * migration would ignore are ignored here too). `version`: kubelet's, asked only when the watchdog was off.
 */
export async function agentChange(
  was: AgentProgram | undefined,
  choice: WatchdogChoice,
  probe: ProbeTimes,
  version: () => Promise<string | null>,
): Promise<string | null> {
  if (was?.unit !== 'kubelet.service') return null;
  const watchdog = `watchdog ${was.watchdog_sec === null ? 'off' : `${was.watchdog_sec} s`}`;
  if (choice.kind === 'off' && was.watchdog_sec !== null) return `${watchdog} -> off (the liveness probe)`;
  if (choice.kind === 'sec' && was.watchdog_sec !== choice.sec) {
    // Off before: by --no-watchdog (a change now), or because this kubelet has none (ignored, as when fresh).
    const v = was.watchdog_sec === null ? await version() : null;
    if (was.watchdog_sec !== null || (v !== null && versionAtLeast(v, WATCHDOG_SINCE)))
      return `${watchdog} -> ${choice.sec} s`;
  }
  const healthz = was.healthz;
  if (!healthz) return null; // --probe beside the watchdog: ignored, as when fresh
  const changed = (Object.keys(probe) as (keyof ProbeTimes)[]).filter((k) => healthz[k] !== probe[k]);
  return changed.length ? `liveness probe ${changed.map((k) => `${k} ${healthz[k]} -> ${probe[k]}`).join(', ')}` : null;
}

function watchdogAbsence(input: { readonly unit: string; readonly version: string | null }): string {
  if (input.unit !== 'kubelet.service')
    return `${input.unit} keeps the watchdog its own WatchdogSec= sets, if any (--watchdog-sec is kubelet's)`;
  if (input.version === null) return "kubelet's version is unknown (the watchdog needs 1.32 or later)";
  return `kubelet ${input.version} has no watchdog (1.32 or later)`;
}

/** What the agent's probe can ask (it speaks plain HTTP/1.0 to a literal address). */
function probeable(url: string): boolean {
  const m = /^http:\/\/([^/:]+)(:\d+)?(\/|$)/.exec(url);
  return m !== null && (m[1] === 'localhost' || /^\d+\.\d+\.\d+\.\d+$/.test(m[1] ?? ''));
}

/** The agent's part for the preview and `plan`: one line each. */
export function agentWords(program: string, p: AgentProgram): string[] {
  const out: string[] = [];
  if (p.notify) {
    const bound = p.start_timeout_sec
      ? `within TimeoutStartSec=${p.start_timeout_sec}s of its start, else it is stopped and started again as ` +
        `systemd fails a start (SIGTERM to ${program}'s main process only)`
      : 'however long it takes (TimeoutStartSec=infinity)';
    out.push(
      `Type=notify: NOTIFY_SOCKET in the wrapper (kubesup-agent's); its READY=1 marks ${program} started: ` +
        `verify and status wait for it, ${bound}`,
    );
  }
  if (p.watchdog_sec !== null && p.unit !== 'kubelet.service')
    out.push(
      `watchdog: WatchdogSec=${p.watchdog_sec}s (WATCHDOG_USEC in the wrapper); a hung ${program} gets SIGABRT, ` +
        `SIGKILL ${p.kill_grace} s later (--no-watchdog)`,
    );
  else if (p.watchdog_sec !== null)
    out.push(
      `watchdog: ${p.watchdog_sec} s (NOTIFY_SOCKET, WATCHDOG_USEC in the wrapper); a hung ${program} gets ` +
        `SIGABRT, SIGKILL ${p.kill_grace} s later (--watchdog-sec N, --no-watchdog)`,
    );
  else if (p.healthz)
    out.push(
      `liveness probe: ${p.healthz.url} every ${p.healthz.interval} s, timeout ${p.healthz.timeout} s, ` +
        `restarted after ${p.healthz.failures} failures in a row, never in the first ${p.healthz.grace} s ` +
        '(--probe interval=N,timeout=N,failures=N,grace=N)',
    );
  else out.push(`no watchdog and no liveness probe for ${program}: supervisord restarts it when it exits`);
  out.push(
    p.alive_fifo
      ? `respawn at once: the wrapper holds an alive FIFO, its death wakes supervisord (kubesup-agent)`
      : `no alive FIFO (its children outlive it): supervisord notices its death within a second`,
  );
  return out;
}

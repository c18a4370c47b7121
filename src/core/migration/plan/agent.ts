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
}

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
    if (url && probeable(url)) healthz = { url, ...DEFAULT_PROBE };
    else warnings.push(`no liveness probe: the agent probes http://<IPv4 or localhost>/ only, not ${url ?? '-'}`);
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
        `restarted after ${p.healthz.failures} failures in a row, never in the first ${p.healthz.grace} s`,
    );
  else out.push(`no watchdog and no liveness probe for ${program}: supervisord restarts it when it exits`);
  out.push(
    p.alive_fifo
      ? `respawn at once: the wrapper holds an alive FIFO, its death wakes supervisord (kubesup-agent)`
      : `no alive FIFO (its children outlive it): supervisord notices its death within a second`,
  );
  return out;
}

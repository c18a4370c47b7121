/**
 * What systemd did for a service's process besides its command line and environment, carried into the wrapper
 * (limits, umask, directory, nice, user) and the program file (how it is stopped), and said in words for the
 * preview: each setting with the mechanism that carries it.
 */
import { quote } from 'shell-quote';
import type { Limit, LimitValue, RunSettings } from '../../systemd/run-settings.js';

/** supervisord's stop wait when the unit sets no TimeoutStopSec= (kubesup-tui's choice; systemd's is 90 s). */
export const DEFAULT_STOP_WAIT_S = 30;

const limitText = (v: LimitValue) => String(v);
const prlimitArg = (l: Limit) => `--${l.resource}=${limitText(l.soft)}:${limitText(l.hard)}`;

/** The user to run as and its group: `setpriv` at the exec, after everything that needs root. */
function userLines(s: RunSettings): { setup: string[]; execPrefix: string } {
  if (!s.user && !s.group) return { setup: [], execPrefix: '' };
  const setup: string[] = [];
  const parts = ['setpriv'];
  if (s.user) {
    const u = quote([s.user]);
    // systemd sets these for User= (systemd.exec(5) "Environment Variables in Spawned Processes").
    setup.push(
      `IFS=: read -r _ _ _ _ _ HOME SHELL < <(getent passwd ${u}) || ` +
        `{ echo "kubesup-tui: no user ${s.user}" >&2; exit 1; }`,
      `export USER=${u} LOGNAME=${u} HOME SHELL`,
    );
    // Numbers, not names: setpriv before util-linux 2.27 (CentOS 7 has 2.23) takes only numeric ids.
    parts.push(`--reuid="$(id -u ${u})"`);
  }
  parts.push(
    s.group
      ? `--regid="$(getent group ${quote([s.group])} | cut -d: -f3)"`
      : `--regid="$(id -g ${quote([s.user as string])})"`,
  );
  parts.push(s.user ? '--init-groups' : '--keep-groups', '--');
  return { setup, execPrefix: `${parts.join(' ')} ` };
}

/** Wrapper lines that set up the process as systemd did, before ExecStartPre= (systemd applies them to it too). */
export function wrapperRunLines(unit: string, s: RunSettings): { lines: string[]; execPrefix: string } {
  const lines: string[] = [];
  const user = userLines(s);
  if (s.limits.length) {
    lines.push(
      '',
      `# Resource limits as ${unit} gave them (soft:hard). A limit the host does not allow (no CAP_SYS_RESOURCE)`,
      '# is said in the log and left as supervisord has it; verify compares them with what systemd gave.',
    );
    for (const l of s.limits)
      lines.push(`prlimit --pid $$ ${prlimitArg(l)} || echo "kubesup-tui: cannot set ${l.setting}" >&2`);
  }
  if (s.umask !== null) lines.push('', `# UMask= of ${unit}.`, `umask ${s.umask}`);
  if (s.workingDirectory) {
    const dir = quote([s.workingDirectory.path]);
    lines.push(
      '',
      `# WorkingDirectory= of ${unit}${s.workingDirectory.optional ? ' ("-": a missing one is not an error)' : ''}.`,
      s.workingDirectory.optional ? `cd ${dir} 2>/dev/null || cd /` : `cd ${dir} || exit 1`,
    );
  }
  if (s.nice !== null) lines.push('', `# Nice= of ${unit}.`, `renice -n ${s.nice} -p $$ >/dev/null || true`);
  if (user.setup.length)
    lines.push('', `# User=/Group= of ${unit}: it runs as that user (setpriv at the exec).`, ...user.setup);
  return { lines, execPrefix: user.execPrefix };
}

/** The [program:x] settings that stop it as systemd did (systemd.kill(5)). */
export function programStopSettings(s: RunSettings): Record<string, string | number | boolean> {
  return {
    stopsignal: s.killSignal,
    stopwaitsecs: s.timeoutStopSec ?? DEFAULT_STOP_WAIT_S,
    // control-group: every process of the service gets the signal; mixed: the main one, then SIGKILL for all;
    // process (containerd): only the main one, its children (the shims that hold the containers) live on.
    stopasgroup: s.killMode === 'control-group',
    killasgroup: s.killMode === 'control-group' || s.killMode === 'mixed',
  };
}

/** KillSignal and TimeoutStopSec as supervisord carries them, and where the wait came from when the unit set none. */
function stopSignalWords(unit: string, s: RunSettings, stop: ReturnType<typeof programStopSettings>): string {
  const carried = `KillSignal: stopsignal=${stop.stopsignal}; TimeoutStopSec: stopwaitsecs=${stop.stopwaitsecs}`;
  if (s.timeoutStopSec !== null) return carried;
  return `${carried} (${unit} sets none: kubesup-tui's ${DEFAULT_STOP_WAIT_S} s, systemd's was 90 s)`;
}

/** KillMode as supervisord's group flags, and what `process` means for the children. */
function killModeWords(s: RunSettings, stop: ReturnType<typeof programStopSettings>): string {
  const carried = `KillMode=${s.killMode}: stopasgroup=${stop.stopasgroup}, killasgroup=${stop.killasgroup}`;
  if (s.killMode !== 'process') return carried;
  return `${carried} (its children outlive a stop, as under systemd)`;
}

/**
 * Each carried setting with its mechanism, for the preview and `plan` (`agent`: whether kubesup-agent is
 * installed with it; unknown for `detect`).
 */
export function carriedSettings(unit: string, s: RunSettings, oomScoreAdjust: number, agent?: boolean): string[] {
  const out = s.limits.map(
    (l) =>
      `${l.setting}: prlimit ${prlimitArg(l)} in the wrapper (${l.soft === l.hard ? l.soft : `${l.soft}:${l.hard}`})`,
  );
  out.push(`OOMScoreAdjust: ${oomScoreAdjust}, written to /proc/self/oom_score_adj before exec`);
  if (s.umask !== null) out.push(`UMask: umask ${s.umask} in the wrapper`);
  if (s.workingDirectory) out.push(`WorkingDirectory: cd ${s.workingDirectory.path} in the wrapper`);
  if (s.nice !== null) out.push(`Nice: renice -n ${s.nice} in the wrapper`);
  if (s.user || s.group) {
    const ids = [s.user && `--reuid=${s.user}`, s.group && `--regid=${s.group}`].filter(Boolean).join(' ');
    out.push(`User/Group: setpriv ${ids} at the exec`);
  }
  const stop = programStopSettings(s);
  out.push(stopSignalWords(unit, s, stop), killModeWords(s, stop));
  // In a plan the agent's words say how READY=1 is served (agent.ts); without the agent nobody listens.
  if (s.notify && agent === false)
    out.push('Type=notify: no NOTIFY_SOCKET without kubesup-agent; supervisord counts it up after startsecs');
  else if (s.notify && agent === undefined) {
    const bound = s.timeoutStartSec === null ? 'for ever' : `within TimeoutStartSec=${s.timeoutStartSec ?? 90}s`;
    out.push(`Type=notify: its READY=1 to kubesup-agent (NOTIFY_SOCKET in the wrapper) marks it started, ${bound}`);
  }
  return out;
}

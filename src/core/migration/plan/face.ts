/**
 * The unit's systemd face. A masked or guarded kubelet.service broke every habit and tool built around it
 * (`systemctl restart kubelet` in kubeadm's upgrade runbook, package scripts' try-restart, `systemctl status`,
 * `journalctl -u kubelet`). Instead, a drop-in keeps the unit and replaces what it runs:
 *   - ExecStartPre: `supervisorctl start` of the program (already running: nothing happens);
 *   - ExecStart: a log forwarder, the unit's main process: `tail -F` of the program's log, each klog line
 *     given its severity as a syslog priority, so that journald files kubelet's lines under the unit (it takes
 *     the unit from the writer's cgroup: only a process of the unit can write them);
 *   - ExecStop: `supervisorctl stop` of the program, when the stop was asked for (the forwarder still runs).
 * So `systemctl stop|start|restart|try-restart` act on the supervised program through supervisord, and systemd
 * never runs the program itself while this drop-in exists (that is the guard against a second copy).
 *
 * Every unit moved gets a face (kubelet, containerd, etcd...): each is restarted by its package's scripts and
 * looked at with systemctl and journalctl. Per unit, two things differ (faceKillMode, orderedAfterSupervisor):
 *   - containerd's KillMode=process stays: the drop-in is loaded before the migration stops systemd's own
 *     containerd, and its shims (every container) live in the unit's cgroup; control-group would kill them there.
 *   - only kubelet's face is ordered after supervisord's unit: supervisord's unit is ordered after the container
 *     runtime (kubelet's boot order moves to it), so a runtime's face after it would be a cycle.
 */
import { quote } from 'shell-quote';
import { FACE_DROP_IN } from '../../systemd/face-drop-in.js';
import { PACE_DIR, pacePath } from './pace.js';
import type { PlannedFile } from './plan-model.js';
import type { SupervisorTarget } from './supervisor-target.js';

export { FACE_DROP_IN };

export interface FaceInput {
  readonly unit: string;
  /** How systemd stops the face (faceKillMode): what else lives in the unit's cgroup decides. */
  readonly killMode: FaceKillMode;
  readonly program: string;
  /** supervisord's unit, config (for supervisorctl: its [supervisorctl] says where it listens), program file. */
  readonly target: Pick<SupervisorTarget, 'unit' | 'config' | 'programFile'>;
  readonly logFile: string;
  readonly helperPath: string;
  readonly header: string;
}

export type FaceKillMode = 'control-group' | 'mixed' | 'process';

/**
 * The unit's own KillMode=, kept: the drop-in is loaded (daemon-reload) before the migration stops the unit's
 * own program, so that stop is the one the unit always had. containerd's KillMode=process leaves its shims,
 * which hold the containers and live in the unit's cgroup (before the migration and after it), at that stop and
 * at every stop of the face after it. none becomes process: the face's forwarder must stop with the unit.
 * kubelet's face stays control-group whatever its unit says (kind's has process): nothing of kubelet's must
 * outlive it, and a stray helper of kubelet's is better stopped with it.
 */
export function faceKillMode(unit: string, unitKillMode: string): FaceKillMode {
  if (unit === 'kubelet.service') return 'control-group';
  return unitKillMode === 'control-group' || unitKillMode === 'mixed' ? unitKillMode : 'process';
}

/**
 * kubelet's face starts after supervisord (nothing orders supervisord after kubelet), and waits for it. Any
 * other unit's face does not: supervisord's unit is ordered after the container runtime (kubelet's boot order
 * moves to it), so a face ordered after supervisord would be an ordering cycle, which systemd breaks by dropping
 * a job at boot. Such a face starts the program only when supervisord runs: at boot supervisord starts it itself.
 */
export function orderedAfterSupervisor(unit: string): boolean {
  return unit === 'kubelet.service';
}

/** Where the face's script goes: beside the wrapper (kubelet.sh -> kubelet-systemd.sh). */
export function faceHelperPath(wrapperPath: string): string {
  return wrapperPath.replace(/(\.sh)?$/, '-systemd.sh');
}

export function faceDropInPath(unit: string): string {
  return `/etc/systemd/system/${unit}.d/${FACE_DROP_IN}`;
}

/** klog's severity letter as a syslog priority prefix journald reads (<2> crit, <3> err, <4> warning, <6> info). */
const KLOG_SEVERITY_SED = [
  // A line that already starts with "<" would be read as a priority: make it an info line first.
  's/^</<6></;t',
  's/^I[0-9]\\{4\\} /<6>&/;t',
  's/^W[0-9]\\{4\\} /<4>&/;t',
  's/^E[0-9]\\{4\\} /<3>&/;t',
  's/^F[0-9]\\{4\\} /<2>&/;t',
  's/^panic: /<2>&/',
];

/**
 * The other units' formats: logrus's text (containerd: time="..." level=warning msg=...), zap's JSON (etcd
 * 3.5, --logger=zap) and capnslog's (etcd 3.4: "2026-12-07 02:00:00.123456 W | etcdserver: ...").
 */
const OTHER_SEVERITY_SED = [
  's/^</<6></;t',
  's/^time="[^"]*" level=warn/<4>&/;t',
  's/^time="[^"]*" level=error /<3>&/;t',
  's/^time="[^"]*" level=\\(fatal\\|panic\\) /<2>&/;t',
  's/^{"level":"warn"/<4>&/;t',
  's/^{"level":"error"/<3>&/;t',
  's/^{"level":"\\(dpanic\\|panic\\|fatal\\)"/<2>&/;t',
  's/^[0-9-]\\{10\\} [0-9:.]\\{8,15\\} W | /<4>&/;t',
  's/^[0-9-]\\{10\\} [0-9:.]\\{8,15\\} E | /<3>&/;t',
  's/^[0-9-]\\{10\\} [0-9:.]\\{8,15\\} C | /<2>&/;t',
  's/^panic: /<2>&/',
];

function severitySed(unit: string): readonly string[] {
  return unit === 'kubelet.service' ? KLOG_SEVERITY_SED : OTHER_SEVERITY_SED;
}

/**
 * The start when supervisord's unit does not run (boot: it starts after this face, see orderedAfterSupervisor):
 * nothing to ask; supervisord starts the program itself (autostart) when it starts.
 */
function startWithoutSupervisor(f: FaceInput): string[] {
  if (orderedAfterSupervisor(f.unit)) return [];
  return [
    `  if ! systemctl is-active --quiet ${quote([f.target.unit])}; then`,
    `    echo "${f.program} runs under supervisord; ${f.target.unit} does not run now: it starts ${f.program} ` +
      `when it starts."`,
    '    exit 0',
    '  fi',
  ];
}

/**
 * tail beside sed: under control-group it stops with the unit; else (process, mixed: only the main process is
 * signalled) it ends once sed is gone (--pid: checked each second), not at its next line.
 */
function tailLine(f: FaceInput): string {
  const pid = f.killMode === 'control-group' ? '' : '--pid=$$ ';
  return `< <(exec tail $at -F ${pid}${quote([f.logFile])} 2>/dev/null) ;;`;
}

export function renderFaceHelper(f: FaceInput): string {
  const q = (s: string) => quote([s]);
  const ctl = `supervisorctl -c ${q(f.target.config)}`;
  const p = q(f.program);
  const sedArgs = severitySed(f.unit)
    .map((e) => `-e '${e}'`)
    .join(' ');
  return [
    '#!/bin/bash',
    `# ${f.unit}, the systemd face of ${f.program} under supervisord: ${f.header}`,
    `# systemd runs this script for ${f.unit} (see ${faceDropInPath(f.unit)}): start and stop act on`,
    `# supervisord's ${f.program}, follow forwards its log to the journal. systemd never runs ${f.program} itself.`,
    '# `kubesup-tui rollback` removes it.',
    '# Every call bounded: a supervisord that does not answer (frozen, overloaded) must not hold systemctl, nor a',
    "# migration's or a rollback's systemctl stop, for ever. A stop may take the program's stopwaitsecs: 100 s.",
    `ctl() { timeout 20 ${ctl} "$@" 2>&1; }`,
    `from_file=${PACE_DIR}/${q(f.program)}.face-from`,
    `size() { stat -c %s ${q(f.logFile)} 2>/dev/null || echo 0; }`,
    `severity() { sed -u ${sedArgs}; }`,
    'case "$1" in',
    'start)',
    "  # The program's first lines (its flags, its errors) reach the journal too: what it writes while it starts is",
    '  # forwarded here, before the line that says where it runs (so `systemctl status` ends with that line), and',
    '  # follow goes on from there. Without a start here (supervisord not running), follow takes it from here.',
    `  mkdir -p ${PACE_DIR}; from=$(size); echo "$from" > "$from_file"`,
    ...startWithoutSupervisor(f),
    '  # At boot supervisord may still be opening its socket: wait for it, up to 60 s.',
    '  for _ in $(seq 120); do',
    `    out=$(ctl status ${p})`,
    `    case "$out" in ${p}\\ *) break ;; esac`,
    '    case "$out" in',
    `      *"no such process"*) echo "kubesup-tui: ${f.program} is not a supervisord program ` +
      `(${f.target.programFile}): nothing started" >&2; exit 1 ;;`,
    '    esac',
    '    sleep 0.5',
    '  done',
    `  case "$out" in ${p}\\ *) ;; *) echo "kubesup-tui: supervisord does not answer: $out" >&2; exit 1 ;; esac`,
    `  out=$(ctl start ${p})`,
    '  case "$out" in',
    '    *started*) ;;',
    `    *) echo "kubesup-tui: supervisorctl start ${f.program}: $out" >&2 ;;`,
    '  esac',
    '  now=$(size)',
    `  [ "$now" -gt "$from" ] && tail -c +$((from + 1)) ${q(f.logFile)} | head -c $((now - from)) | severity`,
    '  echo "$now" > "$from_file"',
    `  echo "${f.program} runs under supervisord (pid $(ctl pid ${p})), not as this unit's process; ` +
      `this unit forwards its log (${f.logFile})."`,
    `  echo "Look at it with: kubesup-tui status; ${ctl} status ${f.program}"`,
    '  exit 0 ;;',
    'stop)',
    '  # MAINPID is set while the forwarder runs: the stop was asked for (systemctl stop|restart, shutdown).',
    '  if [ -z "$MAINPID" ]; then',
    "    # The forwarder ended first. Killed by a kill signal, it was `systemctl kill` (GCE's health-monitor and",
    `    # node-problem-detector's repair use it on a hung ${f.program}): the signal was meant for ${f.program}, which`,
    "    # is not in this unit. TERM and INT as systemd would stop it (an operator's restart: supervisord starts it",
    `    # again), the others as they are. Anything else (EOF, SIGPIPE): ${f.program} is left running. systemd`,
    '    # starts the forwarder again (Restart=always).',
    '    [ "$EXIT_CODE" = killed ] || [ "$EXIT_CODE" = dumped ] || exit 0',
    '    case "$EXIT_STATUS" in',
    `      TERM|INT) what=restart; out=$(timeout 100 ${ctl} stop ${p} 2>&1; rm -f ${q(pacePath(f.program))}; ` +
      `ctl start ${p}) ;;`,
    `      KILL|ABRT|QUIT|HUP) what="signal $EXIT_STATUS"; out=$(ctl signal "$EXIT_STATUS" ${p}) ;;`,
    '      *) exit 0 ;;',
    '    esac',
    // supervisorctl restart answers in two lines (stopped, started): one journal line.
    `    echo "kubesup-tui: ${f.unit} was killed (SIG$EXIT_STATUS): supervisorctl $what ${f.program}:" ` +
      `"$(printf %s "$out" | tr '\\n' ' ')" >&2`,
    '    exit 0',
    '  fi',
    `  # During a migration the main process is still ${f.program} as the unit started it before this script: systemd`,
    '  # stops that one itself; supervisord has nothing to stop (and a slow supervisord must not hold the stop).',
    '  [ "$(cat "/proc/$MAINPID/comm" 2>/dev/null)" = sed ] || exit 0',
    `  out=$(timeout 100 ${ctl} stop ${p} 2>&1) || echo "kubesup-tui: supervisorctl stop ${f.program}: $out" >&2`,
    '  # An asked-for stop is not a quick exit: the next start (systemctl start or restart) is not paced.',
    `  rm -f ${q(pacePath(f.program))}`,
    '  exit 0 ;;',
    'follow)',
    "  # sed is the unit's main process; tail runs beside it, from where start left the log (a log that shrank",
    '  # since was rotated or truncated: from its end). Lines from before it are in the file.',
    '  from=$(cat "$from_file" 2>/dev/null); rm -f "$from_file"',
    '  at=-n0',
    `  case "$from" in ''|*[!0-9]*) ;; *) [ "$(size)" -ge "$from" ] && at="-c +$((from + 1))" ;; esac`,
    `  exec sed -u ${sedArgs} ${tailLine(f)}`,
    '*)',
    '  echo "usage: $0 start|stop|follow" >&2; exit 2 ;;',
    'esac',
    '',
  ].join('\n');
}

/** The drop-in: everything of the unit's own start reset, the face's script in its place. */
export function renderFaceDropIn(f: FaceInput): string {
  const h = `/bin/bash ${quote([f.helperPath])}`;
  return [
    `# ${f.header}`,
    `# ${f.program} runs under supervisord (${f.target.programFile}). ` +
      `${f.unit} stays as its face: systemctl start, stop,`,
    `# restart and try-restart act on supervisord's ${f.program} (${f.helperPath}), the unit's process forwards`,
    `# ${f.program}'s log to the journal, and systemd never runs ${f.program} itself. ` +
      '`kubesup-tui rollback` removes it.',
    '[Unit]',
    `Description=${f.program} under supervisord (systemctl acts on it there; kubesup-tui status)`,
    `Wants=${f.target.unit}`,
    ...(orderedAfterSupervisor(f.unit)
      ? [`After=${f.target.unit}`]
      : [
          `# Not After=${f.target.unit}: that unit may start after this one (kubelet's boot order puts it after the`,
          `# container runtime), and both would be an ordering cycle. At boot ${f.target.unit} starts ${f.program}.`,
        ]),
    '',
    '[Service]',
    '# Nothing of what the unit ran before: each empty line resets a setting of the unit and its other drop-ins.',
    'ExecCondition=',
    'ExecStartPre=',
    'ExecStart=',
    'ExecStartPost=',
    'ExecStop=',
    'ExecStopPost=',
    'ExecReload=',
    'Environment=',
    'EnvironmentFile=',
    'User=',
    'Group=',
    'Type=simple',
    'WatchdogSec=0',
    `ExecStartPre=${h} start`,
    `ExecStart=${h} follow`,
    `ExecStop=${h} stop`,
    ...killModeLines(f),
    'Restart=always',
    "# The forwarder again within a second (the unit's own RestartSec= is for the program): the journal's gap.",
    'RestartSec=1',
    'StandardOutput=journal',
    'StandardError=journal',
    `SyslogIdentifier=${f.program}`,
    'SyslogLevelPrefix=yes',
    '',
  ].join('\n');
}

function killModeLines(f: FaceInput): string[] {
  if (f.killMode === 'control-group') return ['KillMode=control-group'];
  return [
    `# The unit's own KillMode=${f.killMode}: what lives in its cgroup besides the face (containerd's shims, which`,
    '# hold the containers) outlives its stops, the one of the migration included.',
    `KillMode=${f.killMode}`,
  ];
}

/** The face's two files, as the plan writes them (name: the service as people know it). */
export function faceFiles(f: FaceInput, name: string): Omit<PlannedFile, 'before'>[] {
  return [
    {
      path: f.helperPath,
      role: 'face-helper',
      mode: 0o755,
      why: `what ${f.unit} runs now: supervisorctl start/stop of ${name}, and its log forwarded to the journal`,
      content: renderFaceHelper(f),
    },
    {
      path: faceDropInPath(f.unit),
      role: 'face-dropin',
      mode: 0o644,
      why:
        `${f.unit} becomes the face of the supervised ${name}: systemctl verbs act on it, journalctl shows its log` +
        (f.killMode === 'process' ? `; its KillMode=process stays (what outlives ${name} in its cgroup is left)` : ''),
      content: renderFaceDropIn(f),
    },
  ];
}

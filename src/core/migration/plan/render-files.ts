/**
 * The files a migration writes, as text. Pure: the plan holds their exact content, so the preview shows
 * byte for byte what apply writes.
 */
import ini from 'ini';
import { quote } from 'shell-quote';
import { BugError, ToolError } from '../../errors.js';
import { getValue, parseSupervisorConfig } from '../../supervisor/config.js';
import type { RunSettings } from '../../systemd/run-settings.js';
import { oneLine } from '../../text.js';
import { PACE_DIR, pacePath } from './pace.js';
import { programStopSettings, wrapperRunLines } from './run-lines.js';
import type { ServiceSource } from './service-source.js';
import { renderStartLine, SYSTEMD_DEFAULT_PATH } from './start-line.js';
import { startLineShell } from './start-line-shell.js';

export { SYSTEMD_DEFAULT_PATH };

/** A kubelet that ran less than this long before exiting counts as failing at start. */
export const QUICK_EXIT_S = 10;
/** Longest wait between two starts: systemd's kubelet units use RestartSec=10. */
export const MAX_RESTART_DELAY_S = 10;

export interface WrapperInput {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly execStartPre: readonly {
    readonly argv: readonly string[];
    readonly ignoreFailure: boolean;
    readonly line: string;
  }[];
  readonly sourceFiles: readonly string[];
  readonly program: string;
  readonly header: string;
  /** The OOM score systemd gave it (its OOMScoreAdjust=): supervisord's own, which it inherits, may differ. */
  readonly oomScoreAdjust: number;
  /** The unit it came from, and how systemd ran its process (limits, umask, user...). */
  readonly unit: string;
  readonly run: RunSettings;
  /**
   * The command that prints the unit's command line as systemd would run it now (start-line.ts): the wrapper
   * runs it at each start. Absent: the wrapper holds the command line of migration day.
   */
  readonly startLineCommand?: readonly string[];
  /** The resident agent's lines (its alive FIFO, the watchdog's environment), last before the exec. */
  readonly agentLines?: readonly string[];
}

export function renderWrapper(w: WrapperInput): string {
  const lines: string[] = [
    '#!/bin/bash',
    `# ${w.program} under supervisord: ${w.header}`,
    `# It does for ${w.program} what systemd did, from:`,
    ...w.sourceFiles.map((f) => `#   ${oneLine(f)}`),
    '# Do not edit: `kubesup-tui migrate` rewrites it when those files change; `kubesup-tui rollback` removes it.',
    'set -u',
    '',
    '# Restart pacing. supervisord restarts a dead program at once, and gives up (FATAL) on one that keeps',
    `# failing at start; systemd retried it every ${MAX_RESTART_DELAY_S} s forever. ` +
      `A start that ran less than ${QUICK_EXIT_S} s`,
    `# waits 1, 2, 4, 8, then ${MAX_RESTART_DELAY_S} s before each new try; one that ran longer starts again at once.`,
    `pace=${pacePath(w.program)}`,
    // Builtins where they do (no fork, no exec): a respawn is on this path, kill -9 to the next exec.
    `[ -d ${PACE_DIR} ] || mkdir -p ${PACE_DIR}`,
    "printf -v now '%(%s)T' -1",
    'last=0 quick=0',
    '[ -r "$pace" ] && read -r last quick _ < "$pace"',
    `if [ $((now - last)) -lt ${QUICK_EXIT_S} ]; then`,
    '  quick=$((quick + 1)); shift=$((quick < 5 ? quick : 5))',
    `  delay=$((1 << (shift - 1))); [ "$delay" -gt ${MAX_RESTART_DELAY_S} ] && delay=${MAX_RESTART_DELAY_S}`,
    `  echo "kubesup-tui: ${w.program} exited $((now - last)) s after it started; next try in $delay s" >&2`,
    'else',
    '  quick=0; delay=0',
    'fi',
    '# The monitor reads this line (next start, failed starts in a row, this pid) to show it as waiting.',
    'echo "$((now + delay)) $quick $$" > "$pace"',
    '[ "$delay" -gt 0 ] && sleep "$delay"',
    '',
    `# The unit's environment (Environment= and EnvironmentFile=), exported to ${w.program} as systemd did.`,
  ];
  const env = { ...w.env };
  if (env.PATH === undefined) env.PATH = SYSTEMD_DEFAULT_PATH;
  if (w.startLineCommand) {
    const migrationDay = renderStartLine({ argv: w.argv, env });
    lines.push(...startLineShell({ ...w, command: w.startLineCommand }, migrationDay));
  } else
    for (const [name, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`export ${name}=${quote([value])}`);
    }
  const run = wrapperRunLines(w.unit, w.run);
  lines.push(...run.lines);
  if (w.execStartPre.length) {
    lines.push('', '# ExecStartPre= steps, in order ("-" in the unit: a failure is ignored).');
    for (const pre of w.execStartPre) {
      lines.push(`# ${oneLine(pre.line)}`);
      lines.push(`${quote([...pre.argv])} ${pre.ignoreFailure ? '|| true' : '|| exit $?'}`);
    }
  }
  lines.push(
    '',
    `# The OOM score ${w.unit} gave it: a process inherits its parent's, and supervisord's may be`,
    "# lower (it guards its programs). Raising one's own score needs no privilege; where lowering is not allowed,",
    '# systemd did not lower it either.',
    `echo ${w.oomScoreAdjust} > /proc/self/oom_score_adj 2>/dev/null || true`,
  );
  lines.push(...(w.agentLines ?? []));
  lines.push('', `# exec: ${w.program} takes over this process, so supervisord signals and watches it itself.`);
  // One argument per line: the file is read by people at 3 a.m. (quoting by shell-quote, checked round-trip).
  const [program, ...args] = w.argv.map((a) => quote([a]));
  if (w.startLineCommand) lines.push(`exec ${run.execPrefix}"$@"`, '');
  else lines.push(`exec ${run.execPrefix}${program}${args.map((a) => ` \\\n  ${a}`).join('')}`, '');
  return lines.join('\n');
}

export interface ProgramInput {
  readonly program: string;
  readonly wrapperPath: string;
  readonly logFile: string;
  readonly header: string;
  readonly run: RunSettings;
  /** Start order among supervisord's programs: lower first (a container runtime before kubelet). */
  readonly priority: number;
}

/** supervisord treats every value with %-interpolation: a literal % must be written %%. */
export function escapePercent(value: string): string {
  return value.replace(/%/g, '%%');
}

/**
 * The [program:x] file. Written with `ini`, which is safe here only because every value is simple: no
 * `;`/`#` (supervisord comments after whitespace; ini escapes them with a backslash supervisord keeps), no
 * quotes, no newlines. That is checked, and the text is read back with supervisord's own rules.
 */
export function renderProgramFile(p: ProgramInput): string {
  const section: Record<string, string | number | boolean> = {
    command: escapePercent(p.wrapperPath),
    directory: '/',
    autostart: true,
    // kubelet exits 0 on SIGTERM from someone else: restart whatever the exit status.
    autorestart: true,
    // The wrapper paces restarts itself (see the wrapper), so supervisord never sees a fast failure twice in a
    // row and never gives up; startretries only matters if the wrapper itself cannot run.
    startsecs: 1,
    startretries: 1000000,
    // Stopped as its unit said (KillSignal=, TimeoutStopSec=, KillMode=): see run-lines.ts.
    ...programStopSettings(p.run),
    priority: p.priority,
    redirect_stderr: true,
    stdout_logfile: escapePercent(p.logFile),
    stdout_logfile_maxbytes: '50MB',
    stdout_logfile_backups: 10,
  };
  for (const [k, v] of Object.entries(section)) {
    if (/[;#"'\n\r\\]|^\s|\s$/.test(String(v)))
      throw new ToolError(`program setting ${k} has characters supervisord would misread: ${String(v)}`);
  }
  const body = ini.stringify({ [`program:${p.program}`]: section });
  const text = `${p.header
    .split('\n')
    .map((l) => `; ${l}`.trimEnd())
    .join('\n')}\n${body}`;
  // Read it back as supervisord will, so that what we wrote is what supervisord runs.
  const back = parseSupervisorConfig(text, 'generated');
  if (back.problems.length || getValue(back, `program:${p.program}`, 'command') !== section.command) {
    throw new BugError(`the generated program file does not read back as written: ${back.problems.join('; ')}`);
  }
  return text;
}

/** Drop-in for supervisord's unit: kubelet's boot ordering moves with kubelet. */
export interface SupervisorDropIn {
  readonly after: readonly string[];
  readonly wants: readonly string[];
  /** supervisord's own OOM score, when it runs no program but kubelet (which resets its own); else none. */
  readonly oomScoreAdjust: number | null;
  /**
   * mixed: at a stop systemd SIGKILLs what supervisord left. process: a program whose children must outlive it
   * (containerd's shims hold the containers) lives in supervisord's cgroup: nothing is killed but supervisord.
   */
  readonly killMode: 'mixed' | 'process';
}

export function renderSupervisorDropIn(d: SupervisorDropIn, header: string): string {
  return [
    `# ${header}`,
    '# supervisord runs kubelet now, so it starts after what kubelet.service waited for: without this,',
    '# after a reboot kubelet could start before the container runtime.',
    '[Unit]',
    ...(d.wants.length ? [`Wants=${d.wants.join(' ')}`] : []),
    ...(d.after.length ? [`After=${d.after.join(' ')}`] : []),
    '# Never give up restarting it (see Restart= below).',
    'StartLimitIntervalSec=0',
    '',
    '# The guard of kubelet is guarded too: whatever kills supervisord (the OOM killer under the load that',
    '# brings kubelet down, a kill -9), systemd starts it again within a second, and supervisord kubelet.',
    '[Service]',
    'Restart=always',
    'RestartSec=1',
    ...(d.oomScoreAdjust === null
      ? []
      : [
          "# Not the OOM killer's first pick. Its programs inherit this score: kubelet's wrapper sets its own back.",
          `OOMScoreAdjust=${d.oomScoreAdjust}`,
        ]),
    '',
    '# At a restart of this unit and at shutdown, systemd signals supervisord alone, which stops its programs in',
    '# order (their stopsignal, then stopwaitsecs). The default, control-group, would signal them behind its back.',
    ...(d.killMode === 'mixed'
      ? ['# Whatever is left when the unit times out is killed (KillMode=mixed).', 'KillMode=mixed']
      : [
          '# Children that must outlive their program (containers) are left alone (KillMode=process).',
          'KillMode=process',
        ]),
    '',
  ].join('\n');
}

/**
 * Drop-in for the unit when it cannot be masked (its unit file lives in /etc/systemd/system, where
 * `systemctl mask` refuses): `systemctl start` (kubeadm, package upgrades) then does nothing while the
 * program file exists, instead of starting a second copy.
 */
export function renderUnitGuardDropIn(name: string, programFile: string, header: string): string {
  return [
    `# ${header}`,
    `# ${name} runs under supervisord (${programFile}). While that file exists, systemd does not start a`,
    '# second one, whoever asks (kubeadm, package upgrades). `kubesup-tui rollback` removes this file.',
    '[Unit]',
    `ConditionPathExists=!${programFile}`,
    '',
  ].join('\n');
}

/** supervisord.conf with an [include] section added at the end (the rest kept byte for byte). */
export function addIncludeSection(configText: string, pattern: string, header: string): string {
  const sep = configText.endsWith('\n') ? '' : '\n';
  return `${configText}${sep}\n; ${header}\n[include]\nfiles = ${pattern}\n`;
}

/** The wrapper's text: the service's environment, its ExecStartPre steps and its command line, then exec. */
export function wrapperText(
  d: ServiceSource,
  program: string,
  header: string,
  more: { readonly startLine?: readonly string[]; readonly agentLines?: readonly string[] } = {},
): string {
  const c = d.configured;
  return renderWrapper({
    ...(more.startLine ? { startLineCommand: more.startLine } : {}),
    ...(more.agentLines?.length ? { agentLines: more.agentLines } : {}),
    argv: d.argv,
    env: c?.env ?? {},
    execStartPre: c?.execStartPre ?? [],
    sourceFiles: c?.files ?? [],
    program,
    header,
    oomScoreAdjust: d.oomScoreAdjust,
    unit: d.unit,
    run: d.run,
  });
}

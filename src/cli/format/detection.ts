/** `kubesup-tui detect` for people: the state at a glance, the command line with each flag's source, warnings. */
import type { Detection } from '../../core/detect/detect.js';
import type { UnitDetection } from '../../core/detect/detect-unit.js';
import { carriedSettings } from '../../core/migration/plan/run-lines.js';

type Configured = Pick<NonNullable<Detection['configured']>, 'unit' | 'files' | 'active' | 'masked' | 'enabled'>;
type Supervisor = Detection['supervisor'];

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;

/** `kubelet.service + 2 more files (active, enabled)`. */
function unitWords(c: Configured): string {
  const more = c.files.length > 1 ? ` + ${plural(c.files.length - 1, 'more file')}` : '';
  return `${c.unit}${more} (${c.active ?? '?'}, ${c.masked ? 'masked' : (c.enabled ?? '?')})`;
}

function supervisorWords(s: Pick<Supervisor, 'installed' | 'binary' | 'version'>): string {
  if (!s.installed) return 'not installed';
  return s.version ? `${s.binary} ${s.version}` : `${s.binary}`;
}

function runningWords(s: Supervisor): string {
  if (s.pid) return `, running (pid ${s.pid})`;
  return s.installed ? ', not running' : '';
}

function reachedWords(s: Supervisor): string {
  if (!s.url) return '';
  return `, reached at ${s.url}${s.auth ? ' with credentials' : ''}`;
}

function migratedWords(s: Supervisor): string {
  if (s.program) return `yes: [program:${s.program.name}] in ${s.program.file}`;
  return s.programFile ? `no (the program will go to ${s.programFile})` : 'no';
}

function otherUnitState(programs: readonly string[], unit: string, active: string | null | undefined): string {
  return programs.includes(unit.replace(/\.service$/, '')) ? 'supervised' : active || '?';
}

const healthzSourceWords = (config: string | null | undefined) => (config ? `(from ${config})` : '(kubelet defaults)');

/** The kubelet line: its pid, what runs it and its version; or that it is not running. */
function kubeletLine(d: Detection): string {
  if (!d.running) return `kubelet    not running${d.kubelet.version ? ` (v${d.kubelet.version})` : ''}`;
  const version = d.kubelet.version ? `, v${d.kubelet.version}` : '';
  return `kubelet    running, pid ${d.running.pid}, run by ${d.running.managedBy}${version}`;
}

export function formatDetection(d: Detection, width = 100): string {
  const out: string[] = [];
  const r = d.running;
  out.push(kubeletLine(d));
  if (d.configured) {
    const c = d.configured;
    out.push(`unit       ${unitWords(c)}`);
  } else {
    out.push('unit       kubelet.service: none usable');
  }
  const s = d.supervisor;
  const unitState = s.unit ? `, ${s.unit.name} ${s.unit.active}/${s.unit.enabled}` : '';
  out.push(`supervisor ${supervisorWords(s)}${runningWords(s)}${unitState}`);
  if (s.config) out.push(`           config ${s.config} (${s.configSource})${reachedWords(s)}`);
  out.push(`migrated   ${migratedWords(s)}`);
  const others = d.node.otherUnits.map(
    ({ unit, active }) => `${unit.replace(/\.service$/, '')} ${otherUnitState(s.programs, unit, active)}`,
  );
  if (others.length) out.push(`others     ${others.join(' · ')} (each: kubesup-tui migrate --unit NAME --yes)`);
  out.push('');
  if (d.argv.length) {
    out.push(`Command line${r ? ` (from the running kubelet, pid ${r.pid})` : ' (what kubelet.service would start)'}:`);
    const col = Math.min(Math.max(...d.flags.map((f) => f.arg.length)) + 2, Math.floor(width * 0.55));
    for (const f of d.flags) {
      const arg = f.arg.length + 2 > col ? `${f.arg}\n  ${' '.repeat(col)}` : f.arg.padEnd(col);
      out.push(`  ${arg}${f.source}`);
    }
  } else {
    out.push('Command line: none found');
  }
  if (d.configured?.execStartPre.length) {
    out.push('ExecStartPre (the wrapper runs these first):');
    for (const p of d.configured.execStartPre)
      out.push(`  ${p.ignoreFailure ? '-' : ' '}${p.argv.join(' ')}   ${p.line}`);
  }
  out.push(`healthz    ${d.kubelet.healthz.url} ${healthzSourceWords(d.kubelet.healthz.config)}`);
  if (d.refusal) out.push('', `MIGRATION REFUSED: ${d.refusal}`);
  if (d.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of d.warnings) out.push(`  ! ${w}`);
  }
  return `${out.join('\n')}\n`;
}

/** `detect --unit NAME` for people: state, command line, how systemd runs it and what carries it, health. */
export function formatUnitDetection(d: UnitDetection): string {
  const out: string[] = [];
  const r = d.running;
  out.push(`${d.program.padEnd(10)} ${r ? `running, pid ${r.pid}, run by ${r.managedBy}` : 'not running'}`);
  const c = d.configured;
  out.push(c ? `unit       ${unitWords(c)}` : `unit       ${d.unit}: none usable`);
  const s = d.supervisor;
  out.push(`supervisor ${supervisorWords(s)}${s.pid ? `, running (pid ${s.pid})` : ''}`);
  out.push(`migrated   ${s.program ? `yes: [program:${s.program.name}] in ${s.program.file}` : 'no'}`);
  out.push(`health     ${d.healthText}`, '');
  if (!d.argv.length) out.push('Command line: none found');
  else out.push(`Command line${r ? ` (pid ${r.pid})` : ` (what ${d.unit} would start)`}:`);
  for (const a of d.argv) out.push(`  ${a}`);
  if (c?.execStartPre.length) {
    out.push('ExecStartPre (the wrapper runs these first):');
    for (const p of c.execStartPre) out.push(`  ${p.ignoreFailure ? '-' : ' '}${p.argv.join(' ')}   ${p.line}`);
  }
  if (d.carry) {
    out.push('', `How ${d.unit} runs it, and what would carry it under supervisord:`);
    for (const line of carriedSettings(d.unit, d.carry.run, d.carry.oomScoreAdjust)) out.push(`  = ${line}`);
  }
  if (d.refusal) out.push('', `MIGRATION REFUSED: ${d.refusal}`);
  if (d.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of d.warnings) out.push(`  ! ${w}`);
  }
  return `${out.join('\n')}\n`;
}

/** `kubesup-tui detect` for people: the state at a glance, the command line with each flag's source, warnings. */
import type { Detection } from '../../core/detect/detect.js';
import type { UnitDetection } from '../../core/detect/detect-unit.js';
import { carriedSettings } from '../../core/migration/run-lines.js';

export function formatDetection(d: Detection, width = 100): string {
  const out: string[] = [];
  const r = d.running;
  out.push(
    r
      ? `kubelet    running, pid ${r.pid}, run by ${r.managedBy}${d.kubelet.version ? `, v${d.kubelet.version}` : ''}`
      : `kubelet    not running${d.kubelet.version ? ` (v${d.kubelet.version})` : ''}`,
  );
  if (d.configured) {
    const c = d.configured;
    out.push(
      `unit       ${c.unit}${c.files.length > 1 ? ` + ${c.files.length - 1} more file${c.files.length > 2 ? 's' : ''}` : ''} (${c.active ?? '?'}, ${c.masked ? 'masked' : (c.enabled ?? '?')})`,
    );
  } else {
    out.push('unit       kubelet.service: none usable');
  }
  const s = d.supervisor;
  out.push(
    `supervisor ${s.installed ? `${s.binary}${s.version ? ` ${s.version}` : ''}` : 'not installed'}${s.pid ? `, running (pid ${s.pid})` : s.installed ? ', not running' : ''}${s.unit ? `, ${s.unit.name} ${s.unit.active}/${s.unit.enabled}` : ''}`,
  );
  if (s.config)
    out.push(
      `           config ${s.config} (${s.configSource})${s.url ? `, reached at ${s.url}${s.auth ? ' with credentials' : ''}` : ''}`,
    );
  out.push(
    `migrated   ${s.program ? `yes: [program:${s.program.name}] in ${s.program.file}` : `no${s.programFile ? ` (the program will go to ${s.programFile})` : ''}`}`,
  );
  const others = d.node.otherUnits.map(
    ({ unit, active }) =>
      `${unit.replace(/\.service$/, '')} ${s.programs.includes(unit.replace(/\.service$/, '')) ? 'supervised' : active || '?'}`,
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
  out.push(
    `healthz    ${d.kubelet.healthz.url}${d.kubelet.healthz.config ? ` (from ${d.kubelet.healthz.config})` : ' (kubelet defaults)'}`,
  );
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
  out.push(
    c
      ? `unit       ${c.unit}${c.files.length > 1 ? ` + ${c.files.length - 1} more file${c.files.length > 2 ? 's' : ''}` : ''} (${c.active ?? '?'}, ${c.masked ? 'masked' : (c.enabled ?? '?')})`
      : `unit       ${d.unit}: none usable`,
  );
  const s = d.supervisor;
  out.push(
    `supervisor ${s.installed ? `${s.binary}${s.version ? ` ${s.version}` : ''}` : 'not installed'}${s.pid ? `, running (pid ${s.pid})` : ''}`,
  );
  out.push(`migrated   ${s.program ? `yes: [program:${s.program.name}] in ${s.program.file}` : 'no'}`);
  out.push(`health     ${d.healthText}`, '');
  out.push(
    d.argv.length
      ? `Command line${r ? ` (pid ${r.pid})` : ` (what ${d.unit} would start)`}:`
      : 'Command line: none found',
  );
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

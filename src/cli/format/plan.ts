/** The plan for people: each file (new, or a diff against what is there), then every step in order. */
import { fileDiff } from '../../core/migration/plan/file-diff.js';
import type { Plan } from '../../core/migration/plan/plan.js';

export function formatPlan(plan: Plan): string {
  const out: string[] = [];
  out.push(`Plan: kubelet from systemd to supervisord as [program:${plan.program}] (${plan.supervisor.unit})`, '');
  for (const f of plan.files) {
    const what = f.before === null ? 'new file' : 'replaces the current file; a backup is kept';
    out.push(`── ${f.path}  (${what}, mode ${f.mode.toString(8)})`);
    out.push(`   ${f.why}`);
    out.push(f.before === null ? f.content.trimEnd() : fileDiff(f));
    out.push('');
  }
  if (plan.carried?.length) {
    out.push(`Carried from ${plan.service.unit} (how systemd ran it):`);
    for (const c of plan.carried) out.push(`  = ${c}`);
    out.push('');
  }
  out.push('Steps:');
  for (const [i, s] of plan.steps.entries()) out.push(`  ${String(i + 1).padStart(2)}. ${s.title}`);
  if (plan.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of plan.warnings) out.push(`  ! ${w}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * The tool's own copy (plan/tool-copy.ts) in apply and rollback: copied byte for byte, each file written
 * atomically (a wrapper that runs it mid-copy finds the old file or the new, never half of one); removed with the
 * face, since nothing else runs it.
 */
import posix from 'node:path/posix';
import type { Host } from '../../host.js';
import type { Journal } from '../journal/journal.js';
import { movedJournals } from '../journal/moved-units.js';
import type { Plan, PlanStep } from '../plan/plan.js';
import { copiedPaths, TOOL_DIR } from '../plan/tool-copy.js';
import { MigrationStepFailed } from './supervisor-link.js';

export async function copyFiles(host: Host, step: Extract<PlanStep, { kind: 'copy-files' }>): Promise<string> {
  let bytes = 0;
  for (const { from, path } of step.copies) {
    // Run from the copy itself (a migration again): it is there already.
    if (from === path) continue;
    const data = await host.files.read(from);
    if (data === undefined) throw new MigrationStepFailed(`cannot read ${from} to copy it to ${path}`);
    await host.writer.writeAtomic(path, data, { mode: 0o755 });
    bytes += data.length;
  }
  return `${step.copies.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Whether this migration made the copy (older journals did not). */
export const madeToolCopy = (plan: Plan) => copiedPaths(plan).length > 0;

/** The other units still moved whose wrappers run the copy: it stays for them (the last one takes it away). */
export async function toolCopyUsers(host: Host, journal: Journal): Promise<string[]> {
  return (await movedJournals(host.files))
    .filter((j) => j.plan.service.unit !== journal.plan.service.unit && madeToolCopy(j.plan))
    .map((j) => j.plan.service.unit);
}

/** The files this migration copied, then their folders when nothing else is left in them. */
export async function removeToolCopy(host: Host, plan: Plan): Promise<void> {
  const copied = copiedPaths(plan);
  for (const path of copied) await host.writer.remove(path);
  // What an earlier migration with another version copied there too: the folder is the tool's alone.
  if (await host.files.exists(TOOL_DIR)) await host.runner.run('rm', ['-rf', '--', TOOL_DIR], { timeoutMs: 30_000 });
  const folders = [...new Set(copied.map((p) => posix.dirname(p)))].sort((a, b) => b.length - a.length);
  // The agent's folder beside it goes with the last moved unit: the parent stays until then.
  for (const dir of [...folders.filter((d) => d !== TOOL_DIR), TOOL_DIR, posix.dirname(TOOL_DIR)])
    if (await host.files.exists(dir))
      await host.runner.run('rmdir', ['--ignore-fail-on-non-empty', '--', dir], { timeoutMs: 30_000 });
}

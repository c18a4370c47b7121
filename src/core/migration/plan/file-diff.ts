/**
 * A planned file as a diff against what is on the node now: the preview and `plan` both show it, so the
 * person reads exactly what apply will write.
 */
import { createTwoFilesPatch } from 'diff';
import type { PlannedFile } from './plan.js';

/** '' for a new file (shown whole), '(unchanged)', or a unified diff without its two header lines. */
export function fileDiff(f: PlannedFile): string {
  if (f.before === null) return '';
  if (f.before === f.content) return '(unchanged)';
  return createTwoFilesPatch(`${f.path} (now)`, `${f.path} (planned)`, f.before, f.content, '', '', { context: 3 })
    .split('\n')
    .slice(2)
    .join('\n')
    .trimEnd();
}

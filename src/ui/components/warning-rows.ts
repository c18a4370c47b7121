/** Warnings read whole: each wrapped at spaces, as many whole ones as the rows allow, and how many are left. */
import { wrapWords } from '../../core/text.js';

export function warningRows(
  warnings: readonly string[],
  width: number,
  budget: number,
): { rows: { key: string; text: string }[]; more: number } {
  const rows: { key: string; text: string }[] = [];
  let shown = 0;
  for (const [i, w] of warnings.entries()) {
    const wrapped = wrapWords(`! ${w}`, width).map((text, j) => ({ key: `w${i}:${j}`, text: j ? `  ${text}` : text }));
    // The rows left after it must still hold the "more" line when warnings remain.
    const reserve = i < warnings.length - 1 ? 1 : 0;
    if (rows.length + wrapped.length + reserve > budget && shown > 0) break;
    rows.push(...wrapped);
    shown++;
  }
  return { rows, more: warnings.length - shown };
}

/**
 * The preview's tabs: every file of every plan (new, or its diff) and the steps, as rows that wrap at the
 * width (each file line is read whole before it is approved); and which tabs fit around the selected one.
 */
import { fileDiff } from '../../core/migration/plan/file-diff.js';
import type { Plan } from '../../core/migration/plan/plan.js';
import { lineRows, printable, wrapWords } from '../../core/text.js';

export type Line = {
  readonly text: string;
  readonly color?: string;
  readonly dim?: boolean;
  /** Words, not a file's line: wrapped at spaces. */
  readonly words?: boolean;
};

/** Light syntax colouring: comments dim, keys and variables cyan, diff lines green and red. */
function colour(text: string, diff: boolean): Line {
  if (diff && text.startsWith('+')) return { text, color: 'green' };
  if (diff && text.startsWith('-')) return { text, color: 'red' };
  if (diff && text.startsWith('@@')) return { text, color: 'magenta' };
  const body = diff ? text.slice(1) : text;
  if (/^\s*[#;]/.test(body)) return { text, dim: true };
  if (/^\s*\[.+\]\s*$/.test(body)) return { text, color: 'yellow' };
  if (/^\s*(export |[A-Za-z_]+=)/.test(body)) return { text, color: 'cyan' };
  return { text };
}

/** The tabs: every file of every plan (the other units' first, in the order they are applied), then the steps. */
export function previewTabs(plan: Plan, others: readonly Plan[] = []): { title: string; lines: Line[] }[] {
  const plans = [...others, plan];
  const tabs = plans
    .flatMap((p) => p.files)
    .map((f) => {
      const diff = f.before !== null;
      const body = diff ? fileDiff(f) : f.content.trimEnd();
      return {
        title: f.path,
        lines: [
          {
            text:
              `${diff ? 'changes to the current file (a backup is kept)' : 'new file'}, ` +
              `mode ${f.mode.toString(8)}: ${f.why}`,
            dim: true,
          },
          ...body.split('\n').map((l) => colour(l, diff)),
        ],
      };
    });
  tabs.push({
    title: 'steps',
    lines: plans.flatMap((p) => [
      ...(others.length ? [{ text: `${p.service.unit}:`, color: 'yellow' }] : []),
      ...p.steps.map((s, i) => ({ text: `${String(i + 1).padStart(2)}. ${s.title}`, words: true })),
      ...(p.carried ?? []).map((c) => ({ text: `= ${c}`, dim: true })),
      ...p.warnings.map((w) => ({ text: `! ${w}`, color: 'yellow', words: true })),
    ]),
  });
  return tabs;
}

/** A tab's lines as rows of the width: file lines wrap where they are long, the words above them at spaces. */
export function tabRows(lines: readonly Line[], width: number): Line[] {
  return lines.flatMap((l) =>
    (l.dim || l.words ? wrapWords(printable(l.text), width) : lineRows(printable(l.text), width, true)).map((text) => ({
      ...l,
      text,
    })),
  );
}

/** The tabs shown, from `from` to `to` (exclusive): as many as fit, the selected one always among them. */
export function tabWindow(labels: readonly string[], selected: number, width: number): { from: number; to: number } {
  const w = (i: number) => [...(labels[i] ?? '')].length;
  // Two columns at each end for the `…` that says more tabs are there.
  let used = w(selected);
  let from = selected;
  let to = selected + 1;
  for (let grew = true; grew; ) {
    grew = false;
    if (to < labels.length && used + w(to) + 4 <= width) {
      used += w(to++);
      grew = true;
    }
    if (from > 0 && used + w(from - 1) + 4 <= width) {
      used += w(--from);
      grew = true;
    }
  }
  return { from, to };
}

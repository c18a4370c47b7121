/** Wizard step 2: the plan object apply will carry out: each file (new, or its diff) and the steps in order. */
import { Box, Text } from 'ink';
import { fileDiff } from '../../core/migration/plan/file-diff.js';
import type { Plan } from '../../core/migration/plan/plan.js';
import { lineRows, printable, truncate } from '../../core/text.js';
import { useAppStore } from '../../store/store-context.js';
import { useKeys } from '../hooks/use-keys.js';
import type { Binding } from '../keymap.js';

export const PREVIEW_KEYS = {
  apply: { keys: ['enter'], hint: '⏎ apply', help: 'apply the plan (asks for y first)' },
  nextTab: { keys: ['tab', 'right', 'l'], hint: 'tab file', help: 'next file' },
  prevTab: { keys: ['shift-tab', 'left', 'h'], help: 'previous file' },
  down: { keys: ['j', 'down'], hint: 'j/k scroll', help: 'scroll down' },
  up: { keys: ['k', 'up'], help: 'scroll up' },
  pageDown: { keys: ['pagedown', 'space'], help: 'page down' },
  pageUp: { keys: ['pageup'], help: 'page up' },
} satisfies Record<string, Binding>;

type Line = { readonly text: string; readonly color?: string; readonly dim?: boolean };

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
      const what = diff ? 'changes to the current file (a backup is kept)' : 'new file';
      return {
        title: f.path,
        lines: [
          { text: `${what}, mode ${f.mode.toString(8)}: ${f.why}`, dim: true },
          ...body.split('\n').map((l) => colour(l, diff)),
        ],
      };
    });
  tabs.push({
    title: 'steps',
    lines: plans.flatMap((p) => [
      ...(others.length ? [{ text: `${p.service.unit}:`, color: 'yellow' }] : []),
      ...p.steps.map((s, i) => ({ text: `${String(i + 1).padStart(2)}. ${s.title}` })),
      ...(p.carried ?? []).map((c) => ({ text: `= ${c}`, dim: true })),
      ...p.warnings.map((w) => ({ text: `! ${w}`, color: 'yellow' })),
    ]),
  });
  return tabs;
}

export function PreviewScreen({
  width,
  height,
  keysActive,
}: {
  readonly width: number;
  readonly height: number;
  readonly keysActive: boolean;
}) {
  const plan = useAppStore((s) => s.plan);
  const others = useAppStore((s) => s.otherPlans);
  const tab = useAppStore((s) => s.previewTab);
  const scroll = useAppStore((s) => s.previewScroll);
  const a = useAppStore((s) => s.actions);
  const page = height - 3;
  useKeys(
    PREVIEW_KEYS,
    {
      apply: a.askApply,
      nextTab: () => a.setPreviewTab(1),
      prevTab: () => a.setPreviewTab(-1),
      down: () => a.scrollPreview(1),
      up: () => a.scrollPreview(-1),
      pageDown: () => a.scrollPreview(page),
      pageUp: () => a.scrollPreview(-page),
    },
    keysActive,
  );
  if (!plan) return null;
  const tabs = previewTabs(plan, others);
  // previewTabs always has the steps tab, so tabs[0] exists.
  const current = tabs[tab] ?? (tabs[0] as (typeof tabs)[number]);
  const bodyHeight = Math.max(3, height - 2);
  const start = Math.min(scroll, Math.max(0, current.lines.length - bodyHeight));
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate-end">
        {tabs.map((t, i) => (
          <Text key={t.title} inverse={i === tab} bold={i === tab}>
            {' '}
            {i === tab ? '›' : ''}
            {t.title.split('/').pop()}{' '}
          </Text>
        ))}
      </Text>
      <Text dimColor wrap="truncate-end">
        {current.title} · lines {start + 1}-{Math.min(current.lines.length, start + bodyHeight)} of{' '}
        {current.lines.length}
      </Text>
      {current.lines.slice(start, start + bodyHeight).map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line's number in the file is its identity
        <Text key={`${start + i}`} color={l.color} dimColor={l.dim} wrap="truncate-end">
          {(l.dim ? truncate(l.text, width) : lineRows(printable(l.text), width, false)[0]) || ' '}
        </Text>
      ))}
    </Box>
  );
}

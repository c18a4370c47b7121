/** Wizard step 2: the plan object apply will carry out: each file (new, or its diff) and the steps in order. */
import { Box, Text } from 'ink';
import { useAppStore } from '../../store/store-context.js';
import { previewTabs, tabRows, tabWindow } from '../components/preview-tabs.js';
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
  watchdog: { keys: ['w'], hint: 'w watchdog', help: "kubelet's watchdog: its default, 30 s, 120 s, off (a probe)" },
} satisfies Record<string, Binding>;

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
      watchdog: () => void a.cycleWatchdog(),
    },
    keysActive,
  );
  if (!plan) return null;
  const tabs = previewTabs(plan, others);
  // previewTabs always has the steps tab, so tabs[0] exists.
  const current = tabs[tab] ?? (tabs[0] as (typeof tabs)[number]);
  const rows = tabRows(current.lines, width);
  const bodyHeight = Math.max(3, height - 2);
  const start = Math.min(scroll, Math.max(0, rows.length - bodyHeight));
  const labels = tabs.map((t, i) => ` ${i === tab ? '›' : ''}${t.title.split('/').pop()} `);
  const shown = tabWindow(labels, tab, width);
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate-end">
        {shown.from > 0 ? '… ' : ''}
        {labels.slice(shown.from, shown.to).map((label, i) => (
          <Text
            key={tabs[shown.from + i]?.title ?? label}
            inverse={shown.from + i === tab}
            bold={shown.from + i === tab}
          >
            {label}
          </Text>
        ))}
        {shown.to < labels.length ? ' …' : ''}
      </Text>
      <Text dimColor wrap="truncate-end">
        {current.title} · rows {start + 1}-{Math.min(rows.length, start + bodyHeight)} of {rows.length}
        {shown.to - shown.from < tabs.length ? ` · tab ${tab + 1} of ${tabs.length}` : ''}
      </Text>
      {rows.slice(start, start + bodyHeight).map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a row's place in the file is its identity
        <Text key={`${start + i}`} color={l.color} dimColor={l.dim} wrap="truncate-end">
          {l.text || ' '}
        </Text>
      ))}
    </Box>
  );
}

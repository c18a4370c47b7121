/** Wizard step 2: the plan object apply will carry out: each file (new, or its diff) and the steps in order. */
import { Box, Text } from 'ink';
import React from 'react';
import { fileDiff } from '../../core/migration/file-diff.js';
import type { Plan } from '../../core/migration/plan.js';
import { useApp } from '../../store/store-context.js';

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

export function previewTabs(plan: Plan): { title: string; lines: Line[] }[] {
  const tabs = plan.files.map((f) => {
    const diff = f.before !== null;
    const body = diff ? fileDiff(f) : f.content.trimEnd();
    return {
      title: f.path,
      lines: [{ text: `${diff ? 'changes to the current file (a backup is kept)' : 'new file'}, mode ${f.mode.toString(8)}: ${f.why}`, dim: true }, ...body.split('\n').map((l) => colour(l, diff))],
    };
  });
  tabs.push({
    title: 'steps',
    lines: [...plan.steps.map((s, i) => ({ text: `${String(i + 1).padStart(2)}. ${s.title}` })), ...plan.warnings.map((w) => ({ text: `! ${w}`, color: 'yellow' }))],
  });
  return tabs;
}

export function PreviewScreen({ width, height }: { readonly width: number; readonly height: number }) {
  const plan = useApp((s) => s.plan);
  const tab = useApp((s) => s.previewTab);
  const scroll = useApp((s) => s.previewScroll);
  if (!plan) return null;
  const tabs = previewTabs(plan);
  const current = tabs[tab] ?? tabs[0]!;
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
        {current.title} · lines {start + 1}-{Math.min(current.lines.length, start + bodyHeight)} of {current.lines.length}
      </Text>
      {current.lines.slice(start, start + bodyHeight).map((l, i) => (
        <Text key={`${start + i}`} color={l.color} dimColor={l.dim} wrap="truncate-end">
          {l.text.slice(0, width) || ' '}
        </Text>
      ))}
    </Box>
  );
}

/** Wizard step 4: what was measured, where things are, how to undo; then on to the monitor. */
import { Box, Text } from 'ink';
import { shortFileList } from '../../core/migration/plan/agent-files.js';
import { writtenPaths } from '../../core/migration/plan/tool-copy.js';
import { useAppStore } from '../../store/store-context.js';
import { useKeys } from '../hooks/use-keys.js';
import type { Binding } from '../keymap.js';
import { StepLine } from './apply-screen.js';

export const DONE_KEYS = {
  monitor: { keys: ['enter', 'm'], hint: '⏎ monitor', help: 'open the live monitor' },
} satisfies Record<string, Binding>;

/** Rows a text takes wrapped at `width` (one spare: Ink wraps at words). */
const wrappedRows = (text: string, width: number) => Math.ceil(text.length / Math.max(20, width)) + 1;

export function DoneScreen({
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
  const result = useAppStore((s) => s.result);
  const steps = useAppStore((s) => s.steps);
  const a = useAppStore((s) => s.actions);
  useKeys(DONE_KEYS, { monitor: a.startMonitor }, keysActive);
  if (!plan || !result) return null;
  const gap = `healthz gap: ${result.healthzGapMs === null ? 'unknown' : `${result.healthzGapMs} ms`} (how long \
kubelet did not answer)`;
  const files = `files: ${shortFileList([...others, plan].flatMap(writtenPaths)).join(', ')}`;
  const undoOthers = others.map((o) => ` · kubesup-tui rollback --yes --unit ${o.service.unit}`).join('');
  const undo = `undo: kubesup-tui rollback --yes${undoOthers}`;
  // The outcome always shows whole: the steps get the rows left, the last ones first.
  const inner = width - 4;
  const boxRows = 2 + others.length + 1 + [gap, files, undo].reduce((n, t) => n + wrappedRows(t, inner), 0) + 1;
  const room = Math.max(2, height - boxRows);
  const shown = steps.length > room ? steps.slice(steps.length - (room - 1)) : steps;
  return (
    <Box flexDirection="column">
      {/* What was done, step by step, as the apply screen showed it. */}
      {shown.length < steps.length ? (
        <Text color="green">✓ {steps.length - shown.length} steps before these done</Text>
      ) : null}
      {shown.map((s) => (
        <StepLine key={s.id} s={s} n={steps.indexOf(s) + 1} total={steps.length} />
      ))}
      <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1}>
        {others.map((o) => (
          <Text key={o.program} color="green" bold>
            ✓ {o.service.unit.replace(/\.service$/, '')} runs under supervisord as [program:{o.program}]
          </Text>
        ))}
        <Text color="green" bold>
          ✓ kubelet runs under supervisord as [program:{plan.program}]
        </Text>
        <Text>{gap}</Text>
        {/* What was written and how to undo it: read whole, wrapped, at any width. */}
        <Text wrap="wrap">{files}</Text>
        <Text wrap="wrap">backups and journal: /var/lib/kubesup-tui/</Text>
        <Text wrap="wrap">{undo}</Text>
      </Box>
    </Box>
  );
}

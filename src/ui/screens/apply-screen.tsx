/**
 * Wizard step 3: each step live, in the full screen. What stays once the screen is gone is printed on the
 * shell's screen when kubesup-tui exits (cli/session-summary.ts), not left above the frame.
 */
import { Box, Text } from 'ink';
import type { MigrationResult } from '../../core/migration/apply/apply.js';
import type { Operation, StepView } from '../../store/app-store.js';
import { useAppStore } from '../../store/store-context.js';
import type { Binding } from '../keymap.js';
import { STEP_MARK } from '../theme.js';

/** Nothing to press while the steps run; quitting asks first (app.tsx). */
export const APPLY_KEYS = {} satisfies Record<string, Binding>;

export function StepLine({ s, n, total }: { readonly s: StepView; readonly n: number; readonly total: number }) {
  const color =
    s.status === 'failed' ? 'red' : s.status === 'running' ? 'cyan' : s.status === 'pending' ? undefined : 'green';
  const failed = s.status === 'failed';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" color={color} dimColor={s.status === 'pending'}>
        {STEP_MARK[s.status]} [{n}/{total}] {s.title}
        {s.ms !== undefined ? <Text dimColor> {s.ms} ms</Text> : null}
        {s.detail && !failed && s.status !== 'pending' ? <Text dimColor> · {s.detail}</Text> : null}
      </Text>
      {/* Why it failed is the line that matters: shown whole, wrapped. */}
      {failed && s.detail ? (
        <Text color="red" wrap="wrap">
          {'    '}
          {s.detail}
        </Text>
      ) : null}
    </Box>
  );
}

/** How it ended, in one line: what the node runs now. */
function Outcome({ operation, result }: { readonly operation: Operation; readonly result: MigrationResult | null }) {
  if (!result) return null;
  if (operation === 'rollback') {
    return result.ok ? (
      <Text color="green">✓ rolled back: kubelet runs under systemd again, every file and link as it was</Text>
    ) : (
      <Text color="red" wrap="wrap">
        ✗ {result.error}
      </Text>
    );
  }
  if (result.ok) return null;
  return (
    <Text color="red" wrap="wrap">
      ✗ migration failed
      {result.rolledBack
        ? ' and was rolled back: kubelet runs under systemd as before'
        : ', and the rollback is incomplete'}
      : {result.error}
    </Text>
  );
}

export function ApplyScreen() {
  const steps = useAppStore((s) => s.steps);
  const result = useAppStore((s) => s.result);
  const rollback = useAppStore((s) => s.rollbackLines);
  const operation = useAppStore((s) => s.operation);
  const stopping = useAppStore((s) => s.stopping);
  return (
    <Box flexDirection="column">
      {steps.map((s, i) => (
        <StepLine key={s.id} s={s} n={i + 1} total={steps.length} />
      ))}
      {rollback.length ? <Text color="yellow">rolling back:</Text> : null}
      {rollback.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rollback lines only grow: the position is the line
        <Text key={`r${i}`} wrap="truncate-end">
          {'  '}
          {l}
        </Text>
      ))}
      {stopping && !result ? <Text color="yellow">stopping after the current step, then rolling back…</Text> : null}
      <Outcome operation={operation} result={result} />
    </Box>
  );
}

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

/** Rows of a wrapped text at `width`, one spare (Ink wraps at words). */
const wrappedRows = (text: string, width: number) => Math.ceil(text.length / Math.max(20, width)) + 1;

/**
 * What fits: the outcome and the stop notice whole, then the last rollback lines and the last steps, with one
 * line for what came before (several units and the agent's steps outgrow a small terminal).
 */
function fitted(
  steps: readonly StepView[],
  rollback: readonly string[],
  rows: number,
): { steps: StepView[]; before: number; rollback: string[] } {
  const stepRows = (s: StepView) => (s.status === 'failed' ? 3 : 1);
  const rb = rollback.length > Math.max(1, rows - 4) ? rollback.slice(-Math.max(1, rows - 4)) : [...rollback];
  let room = rows - rb.length - (rollback.length ? 1 : 0);
  const shown: StepView[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as StepView;
    if (stepRows(s) > room - (i > 0 ? 1 : 0)) break;
    room -= stepRows(s);
    shown.unshift(s);
  }
  return { steps: shown, before: steps.length - shown.length, rollback: rb };
}

export function ApplyScreen({ width, height }: { readonly width: number; readonly height: number }) {
  const steps = useAppStore((s) => s.steps);
  const result = useAppStore((s) => s.result);
  const rollback = useAppStore((s) => s.rollbackLines);
  const operation = useAppStore((s) => s.operation);
  const stopping = useAppStore((s) => s.stopping);
  const outcomeRows = result ? wrappedRows(result.error ?? '', width) + 1 : 0;
  const fit = fitted(steps, rollback, height - outcomeRows - (stopping && !result ? 1 : 0));
  return (
    <Box flexDirection="column">
      {fit.before ? <Text dimColor>… {fit.before} steps before these</Text> : null}
      {fit.steps.map((s) => (
        <StepLine key={s.id} s={s} n={steps.indexOf(s) + 1} total={steps.length} />
      ))}
      {rollback.length ? <Text color="yellow">rolling back:</Text> : null}
      {fit.rollback.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the last lines of a list that only grows
        <Text key={`r${rollback.length - fit.rollback.length + i}`} wrap="truncate-end">
          {'  '}
          {l}
        </Text>
      ))}
      {stopping && !result ? <Text color="yellow">stopping after the current step, then rolling back…</Text> : null}
      <Outcome operation={operation} result={result} />
    </Box>
  );
}

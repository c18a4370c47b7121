/** Wizard step 4: what was measured, where things are, how to undo; then on to the monitor. */
import { Box, Text } from 'ink';
import { useAppStore } from '../../store/store-context.js';
import { useKeys } from '../hooks/use-keys.js';
import type { Binding } from '../keymap.js';
import { StepLine } from './apply-screen.js';

export const DONE_KEYS = {
  monitor: { keys: ['enter', 'm'], hint: '⏎ monitor', help: 'open the live monitor' },
} satisfies Record<string, Binding>;

export function DoneScreen({ keysActive }: { readonly keysActive: boolean }) {
  const plan = useAppStore((s) => s.plan);
  const others = useAppStore((s) => s.otherPlans);
  const result = useAppStore((s) => s.result);
  const steps = useAppStore((s) => s.steps);
  const a = useAppStore((s) => s.actions);
  useKeys(DONE_KEYS, { monitor: a.startMonitor }, keysActive);
  if (!plan || !result) return null;
  return (
    <Box flexDirection="column">
      {/* The outcome first: a long list of steps (several units, the agent's) is what the frame cuts. */}
      <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1}>
        {others.map((o) => (
          <Text key={o.program} color="green" bold>
            ✓ {o.service.unit.replace(/\.service$/, '')} runs under supervisord as [program:{o.program}]
          </Text>
        ))}
        <Text color="green" bold>
          ✓ kubelet runs under supervisord as [program:{plan.program}]
        </Text>
        <Text>
          healthz gap: {result.healthzGapMs === null ? 'unknown' : `${result.healthzGapMs} ms`} (how long kubelet did
          not answer)
        </Text>
        {/* What was written and how to undo it: read whole, wrapped, at any width. */}
        <Text wrap="wrap">
          files:{' '}
          {[...others, plan]
            .flatMap((p) => p.files)
            .map((f) => f.path)
            .join(', ')}
        </Text>
        <Text wrap="wrap">backups and journal: /var/lib/kubesup-tui/</Text>
        <Text wrap="wrap">
          undo: kubesup-tui rollback --yes
          {others.map((o) => ` · kubesup-tui rollback --yes --unit ${o.service.unit}`).join('')}
        </Text>
      </Box>
      {/* What was done, step by step, as the apply screen showed it. */}
      {steps.map((s, i) => (
        <StepLine key={s.id} s={s} n={i + 1} total={steps.length} />
      ))}
    </Box>
  );
}

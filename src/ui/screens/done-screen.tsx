/** Wizard step 4: what was measured, where things are, how to undo; then on to the monitor. */
import { Box, Text } from 'ink';
import React from 'react';
import { useApp } from '../../store/store-context.js';

export function DoneScreen() {
  const plan = useApp((s) => s.plan);
  const result = useApp((s) => s.result);
  if (!plan || !result) return null;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1}>
      <Text color="green" bold>
        ✓ kubelet runs under supervisord as [program:{plan.program}]
      </Text>
      <Text>healthz gap: {result.healthzGapMs === null ? 'unknown' : `${result.healthzGapMs} ms`} (how long kubelet did not answer)</Text>
      <Text wrap="truncate-end">files: {plan.files.map((f) => f.path).join(', ')}</Text>
      <Text wrap="truncate-end">backups and journal: /var/lib/kubesup-tui/</Text>
      <Text>undo: kubesup-tui rollback --yes</Text>
    </Box>
  );
}

/**
 * The first screen when a migration or rollback was left half-way (an SSH link dropped, the tool was killed):
 * what was interrupted, when, which steps remain, and the way on: resume it, or roll it back.
 */
import { Box, Text } from 'ink';
import { useAppStore } from '../../store/store-context.js';
import { useKeys } from '../hooks/use-keys.js';
import type { Binding } from '../keymap.js';

export const INTERRUPTED_KEYS = {
  resume: { keys: ['enter'], hint: '⏎ resume', help: 'resume the migration from its next step (asks for y)' },
  rollback: {
    keys: ['u'],
    hint: 'u roll back',
    help: 'roll it back: kubelet under systemd, every file as it was (asks for y)',
  },
  monitor: { keys: ['m'], hint: 'm monitor', help: 'open the live monitor' },
} satisfies Record<string, Binding>;

export function InterruptedScreen({ height, keysActive }: { readonly height: number; readonly keysActive: boolean }) {
  const i = useAppStore((s) => s.interruption);
  const a = useAppStore((s) => s.actions);
  useKeys(INTERRUPTED_KEYS, { resume: a.askResume, rollback: a.askRollback, monitor: a.startMonitor }, keysActive);
  if (!i) return null;
  const migration = i.what === 'migration';
  const visible = i.remaining.slice(0, Math.max(1, height - 6));
  return (
    <Box flexDirection="column" height={height}>
      <Text color="yellow" bold wrap="truncate-end">
        {migration
          ? `! A migration was interrupted after ${i.done} of ${i.total} steps`
          : '! A rollback did not finish: the node is between systemd and supervisord'}
      </Text>
      <Text wrap="truncate-end">
        started {i.journal.plan.createdAt} · last change {i.at}
        {i.journal.error ? ` · ${i.journal.error}` : ''}
      </Text>
      <Text> </Text>
      {migration ? (
        <>
          <Text bold>Steps left (⏎ resumes them; u rolls everything back instead):</Text>
          {visible.map((s) => (
            <Text key={s.id} wrap="truncate-end">
              {'  '}
              {i.journal.plan.steps.indexOf(s) + 1}. {s.title}
            </Text>
          ))}
          {i.remaining.length > visible.length ? (
            <Text dimColor> … {i.remaining.length - visible.length} more</Text>
          ) : null}
        </>
      ) : (
        <Text wrap="wrap">
          u finishes the rollback: the supervisord program removed, every file and link restored, kubelet started by
          systemd.
        </Text>
      )}
    </Box>
  );
}

/** Wizard step 1: how kubelet is started today, at a glance. */
import { Box, Text } from 'ink';
import { useState } from 'react';
import { wrapWords } from '../../core/text.js';
import { useAppStore } from '../../store/store-context.js';
import { kubeletGlance, migratedGlance, supervisordGlance } from '../components/detect-glance.js';
import { alsoMoveLine, choosable } from '../components/other-units.js';
import { warningRows } from '../components/warning-rows.js';
import { useKeys } from '../hooks/use-keys.js';
import type { Binding } from '../keymap.js';

export const DETECT_KEYS = {
  next: { keys: ['enter'], hint: '⏎ preview', help: 'plan the migration and preview it' },
  refresh: { keys: ['r'], hint: 'r refresh', help: 'detect again' },
  monitor: { keys: ['m'], hint: 'm monitor', help: 'open the live monitor' },
  unit1: { keys: ['1'], hint: '1-4 also move', help: 'also move the first other unit listed (containerd, etcd…)' },
  unit2: { keys: ['2'], help: 'also move the second other unit' },
  unit3: { keys: ['3'], help: 'also move the third other unit' },
  unit4: { keys: ['4'], help: 'also move the fourth other unit' },
  down: { keys: ['j', 'down'], help: 'scroll down' },
  up: { keys: ['k', 'up'], help: 'scroll up' },
} satisfies Record<string, Binding>;

/**
 * `/etc/systemd/system/kubelet.service.d/10-kubeadm.conf:3 (…)` → `kubelet.service.d/10-kubeadm.conf:3 (…)`:
 * the end is what tells.
 */
export function shortSource(source: string): string {
  return source
    .replace(/(?:\/[^/\s]+)*\/([^/\s]+\/[^/\s]+:\d+)/g, '$1')
    .replace(/, (Environment|EnvironmentFile)=\)/, ')');
}

export function DetectScreen({
  width,
  height,
  keysActive,
}: {
  readonly width: number;
  readonly height: number;
  readonly keysActive: boolean;
}) {
  const d = useAppStore((s) => s.detection);
  const chosen = useAppStore((s) => s.chosenUnits);
  const error = useAppStore((s) => s.error);
  const a = useAppStore((s) => s.actions);
  const [scroll, setScroll] = useState(0);
  const toggle = (i: number) => () => {
    const unit = d && choosable(d, i);
    if (unit) a.toggleUnit(unit);
  };
  useKeys(
    DETECT_KEYS,
    {
      next: () => void (d && !d.refusal && a.toPreview()),
      refresh: () => void a.runDetect(),
      monitor: () => a.startMonitor(),
      down: () => setScroll((n) => Math.min(n + 1, Math.max(0, (d?.flags.length ?? 1) - 1))),
      up: () => setScroll((n) => Math.max(0, n - 1)),
      unit1: toggle(0),
      unit2: toggle(1),
      unit3: toggle(2),
      unit4: toggle(3),
    },
    keysActive,
  );
  if (!d) return <Text color={error ? 'red' : undefined}>{error ?? 'detecting…'}</Text>;
  const s = d.supervisor;
  const glance: [string, string, string | undefined][] = [
    ['kubelet', kubeletGlance(d), d.running ? 'green' : 'yellow'],
    ['supervisord', supervisordGlance(s), s.installed && s.pid ? 'green' : 'yellow'],
    ['migrated', migratedGlance(s), s.program ? 'green' : undefined],
  ];
  const also = alsoMoveLine(d, chosen);
  if (also) glance.push(['also move', also, chosen.length ? 'cyan' : undefined]);
  const flagCol = Math.min(Math.max(10, ...d.flags.map((f) => f.arg.length)) + 2, Math.floor(width * 0.5));
  const lines: { text: string; source: string }[] = d.flags.map((f) => ({
    text: f.arg,
    source: shortSource(f.source),
  }));
  // Warnings wrap (continued rows indented two columns); a third of the screen for them at most.
  const warned = warningRows(d.warnings, width - 2, Math.max(2, Math.floor(height / 3)));
  const refusal = d.refusal ? wrapWords(`✗ no migration: ${d.refusal}`, width) : [];
  const extra = warned.rows.length + (warned.more ? 1 : 0) + refusal.length;
  const listHeight = Math.max(3, height - glance.length - 4 - extra);
  const visible = lines.slice(scroll, scroll + listHeight);
  return (
    <Box flexDirection="column" height={height}>
      {glance.map(([k, v, c]) => (
        <Text key={k} wrap="truncate-end">
          <Text bold>{k.padEnd(12)}</Text>
          <Text color={c}>{v}</Text>
        </Text>
      ))}
      <Text> </Text>
      <Text bold wrap="truncate-end">
        Command line{d.running ? ` (running, pid ${d.running.pid})` : ' (kubelet.service)'} · {d.flags.length} words,
        each with its source
      </Text>
      {visible.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a flag's place in the command line is its identity
        <Text key={`${scroll + i}`} wrap="truncate-end">
          {'  '}
          <Text color="cyan">
            {l.text.length > flagCol - 1 ? `${l.text.slice(0, flagCol - 3)}… ` : l.text.padEnd(flagCol)}
          </Text>
          <Text dimColor>{l.source}</Text>
        </Text>
      ))}
      {lines.length > listHeight ? (
        <Text dimColor>
          {' '}
          … j/k to scroll ({scroll + 1}-{Math.min(lines.length, scroll + listHeight)} of {lines.length})
        </Text>
      ) : null}
      {refusal.map((row) => (
        <Text key={row} color="red">
          {row}
        </Text>
      ))}
      {warned.rows.map((row) => (
        <Text key={row.key} color="yellow">
          {row.text}
        </Text>
      ))}
      {warned.more ? <Text dimColor> … {warned.more} more warnings: kubesup-tui detect</Text> : null}
      {error ? (
        <Text color="red" wrap="truncate-end">
          ✗ {error}
        </Text>
      ) : null}
    </Box>
  );
}

/**
 * The keys that work here, on one line, cut to the width (never wrapped into garbage). The keys in `keep`
 * (help, quit) are never cut: the screen's own hints give way to them from the right.
 */
import { Text } from 'ink';

export function HintBar({
  hints,
  keep = [],
  width,
}: {
  readonly hints: readonly string[];
  readonly keep?: readonly string[];
  readonly width: number;
}) {
  const tail = keep.join('  ');
  const room = width - (tail ? tail.length + 2 : 0);
  let line = '';
  for (const h of hints) {
    const next = line ? `${line}  ${h}` : h;
    if (next.length > room) break;
    line = next;
  }
  return <Text dimColor>{[line, tail].filter(Boolean).join('  ')}</Text>;
}

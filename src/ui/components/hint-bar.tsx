/** The keys that work here, on one line, cut to the width (never wrapped into garbage). */
import { Text } from 'ink';

export function HintBar({ hints, width }: { readonly hints: readonly string[]; readonly width: number }) {
  let line = '';
  for (const h of hints) {
    const next = line ? `${line}  ${h}` : h;
    if (next.length > width) break;
    line = next;
  }
  return <Text dimColor>{line}</Text>;
}

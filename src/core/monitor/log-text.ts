/** A log line as the pane draws it: with or without its time, cut at the edge or wrapped onto more rows. */
import type { LogLine } from '../kubelet/klog.js';

// 2026-11-27T10:29:00.123Z, 2026-11-27 10:29:00,123, with an optional zone: what non-klog programs write.
const LEADING_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+/;

/** The line without its time: klog's `E1127 10:29:00.123456 4242 ` header becomes `E `. */
export function withoutTime(line: LogLine): string {
  if (line.time && line.source && line.message !== undefined) {
    return `${line.text[0]} ${line.source}] ${line.message}`;
  }
  return line.text.replace(LEADING_TIME, '');
}

/** Tabs and other control characters would move the cursor or widen a line past the screen. */
export function printable(text: string): string {
  return (
    text
      .replace(/\t/g, '  ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
      .replace(/[\u0000-\u001f\u007f]/g, '?')
  );
}

/** The rows a line takes: one, cut with an ellipsis, or as many as it needs when wrapping. */
export function lineRows(text: string, width: number, wrap: boolean): string[] {
  const chars = [...text];
  if (chars.length <= width) return [text];
  if (!wrap) return [`${chars.slice(0, Math.max(0, width - 1)).join('')}…`];
  const rows: string[] = [];
  for (let i = 0; i < chars.length; i += width) rows.push(chars.slice(i, i + width).join(''));
  return rows;
}

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

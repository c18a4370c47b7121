/**
 * Bundled in place of Ink's wrap-text.js (scripts/ink-kept.json): the same wrapping and truncation, kept for
 * the texts of the last frames only (Ink's keeps every text it ever cut, each log line too long for the pane).
 */
import cliTruncate from 'cli-truncate';
import wrapAnsi from 'wrap-ansi';
import { keeper } from './kept.js';

type Wrap = 'wrap' | 'end' | 'middle' | 'truncate' | 'truncate-end' | 'truncate-middle' | 'truncate-start';

function wrapped(text: string, maxWidth: number, wrapType: Wrap): string {
  if (wrapType === 'wrap') return wrapAnsi(text, maxWidth, { trim: false, hard: true });
  if (!wrapType.startsWith('truncate')) return text;
  const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
  return cliTruncate(text, maxWidth, { position });
}

const answers = keeper<string>(2048);

export default function wrapText(text: string, maxWidth: number, wrapType: Wrap): string {
  return answers(`${maxWidth}:${wrapType}:${text}`, () => wrapped(text, maxWidth, wrapType));
}

/**
 * Bundled in place of Ink's wrap-text.js (scripts/ink-kept.json): the same wrapping and truncation, kept for
 * the texts of the last frames only (Ink's keeps every text it ever cut, each log line too long for the pane).
 */
import cliTruncate from 'cli-truncate';
import wrapAnsi from 'wrap-ansi';
import { kept } from './kept.js';

type Wrap = 'wrap' | 'end' | 'middle' | 'truncate' | 'truncate-end' | 'truncate-middle' | 'truncate-start';

function wrapped(text: string, maxWidth: number, wrapType: Wrap): string {
  if (wrapType === 'wrap') return wrapAnsi(text, maxWidth, { trim: false, hard: true });
  if (!wrapType.startsWith('truncate')) return text;
  const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
  return cliTruncate(text, maxWidth, { position });
}

const answers = new Map<string, (text: string) => string>();

export default function wrapText(text: string, maxWidth: number, wrapType: Wrap): string {
  const how = `${maxWidth}:${wrapType}`;
  let answer = answers.get(how);
  if (!answer) {
    answer = kept(1024, (t) => wrapped(t, maxWidth, wrapType));
    answers.set(how, answer);
  }
  return answer(text);
}

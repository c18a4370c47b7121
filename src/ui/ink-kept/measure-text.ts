/**
 * Bundled in place of Ink's measure-text.js (scripts/ink-kept.json): the same answer, for the texts of the
 * last frames only. Ink's keeps every text it measured (vadimdemedes/ink#986): each new log row, for good.
 */
import widestLine from 'widest-line';
import { kept } from './kept.js';

const measured = kept(2048, (text) => ({ width: widestLine(text), height: text.split('\n').length }));

export default function measureText(text: string): { width: number; height: number } {
  return text.length === 0 ? { width: 0, height: 0 } : measured(text);
}

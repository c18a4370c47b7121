/**
 * Bundled in place of Ink's output.js (scripts/ink-kept.json): the same frame from the same writes, without
 * drawing again the rows that did not change. Ink lays every write into a grid of one object per cell and
 * turns each row back into a string at every frame; beside a logging kubelet a frame differs from the last by
 * one log row, and that grid and its garbage were most of a frame's cost (profiled: bench/profile-at-rest.ts).
 * Here each row is first the list of what is written on it (where, what); a row whose list is one of the last
 * frames' gets that frame's string. The clipping, the transformers and the cell rules are Ink's, in its order.
 */
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import widestLine from 'widest-line';
import { type StyledChar, styledCharsFromTokens, styledCharsToString, tokenize } from './ansi-tokenize.js';
import { keeper, kept } from './kept.js';

type Transformer = (line: string, index: number) => string;
interface Clip {
  readonly x1?: number;
  readonly x2?: number;
  readonly y1?: number;
  readonly y2?: number;
}
type Operation =
  | { readonly type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { readonly type: 'clip'; clip: Clip }
  | { readonly type: 'unclip' };
/** What one write puts on one row: from column `x`, this styled text. */
interface Piece {
  readonly x: number;
  readonly line: string;
}

const BLANK: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: [] };
const width = kept(4096, stringWidth);
const sliced = keeper<string>(1024);
const drawn = keeper<string>(512);

/**
 * Characters that are one cell each and one token each, with no style: printable ASCII and Latin-1 but the
 * soft hyphen (U+00AD); general punctuation U+2010-U+2027 and U+2030-U+205E (`…`, `·`, quotes, dashes); arrows
 * U+2190-U+2193; `≤≥`; box drawing and blocks U+2500-U+259F (the monitor's rules and history strip). No escape,
 * control, combining, zero-width or wide character.
 */
const PLAIN = /^[ -~\xa0-\xac\xae-\xff‐-‧‰-⁞←-↓≤≥─-▟]*$/;

/**
 * A row of plain text only, drawn as Ink's grid draws it (blank cells, later writes over earlier ones, cells
 * past the edge kept in order, the end trimmed) but a string per cell (`join` skips the holes Ink filters
 * out): each character is one cell, and a cell with no style is its character. A kubelet's info lines are
 * such rows; Ink's way spends an object, a style list and a width lookup on each character (most of a
 * frame's garbage beside a logging kubelet, profiled).
 */
function drawPlainRow(columns: number, pieces: readonly Piece[]): string {
  const cells: (string | undefined)[] = new Array(columns).fill(' ');
  for (const piece of pieces) for (let i = 0; i < piece.line.length; i++) cells[piece.x + i] = piece.line[i];
  return cells.join('').trimEnd();
}

/** A row's string from what is written on it, as Ink's grid makes it. */
function drawRow(columns: number, pieces: readonly Piece[]): string {
  if (pieces.every((piece) => PLAIN.test(piece.line))) return drawPlainRow(columns, pieces);
  const cells: StyledChar[] = new Array(columns).fill(BLANK);
  for (const piece of pieces) {
    let x = piece.x;
    for (const char of styledCharsFromTokens(tokenize(piece.line))) {
      cells[x] = char;
      // A wide character's second cell is drawn empty, as Ink does.
      const w = Math.max(1, width(char.value));
      for (let k = 1; k < w; k++) cells[x + k] = { type: 'char', value: '', fullWidth: false, styles: char.styles };
      x += w;
    }
  }
  return styledCharsToString(cells.filter((cell) => cell !== undefined)).trimEnd();
}

export default class Output {
  readonly width: number;
  readonly height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (text) this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    const pieces: Piece[][] = Array.from({ length: this.height }, () => []);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      else if (operation.type === 'unclip') clips.pop();
      else place(operation, clips.at(-1), pieces);
    }
    const output = pieces
      .map((row) => {
        if (row.length === 0) return '';
        // The key names the row whole: the screen's width, then each piece's column and text, lengths first.
        const key = `${this.width}:${row.map((p) => `${p.x}:${p.line.length}:${p.line}`).join('')}`;
        return drawn(key, () => drawRow(this.width, row));
      })
      .join('\n');
    return { output, height: this.height };
  }
}

/** One write's lines onto their rows, clipped and transformed as Ink does. */
function place(write: Operation & { type: 'write' }, clip: Clip | undefined, pieces: Piece[][]): void {
  let { x, y } = write;
  let lines = write.text.split('\n');
  if (clip) {
    const horizontal = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
    const vertical = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
    // Wholly outside the clip: nothing to draw.
    if (horizontal && (x + widestLine(write.text) < (clip.x1 as number) || x > (clip.x2 as number))) return;
    if (vertical && (y + lines.length < (clip.y1 as number) || y > (clip.y2 as number))) return;
    if (horizontal) {
      const x1 = clip.x1 as number;
      const x2 = clip.x2 as number;
      lines = lines.map((line) => {
        const w = width(line);
        const from = x < x1 ? x1 - x : 0;
        const to = x + w > x2 ? x2 - x : w;
        return sliced(`${from}:${to}:${line}`, () => sliceAnsi(line, from, to));
      });
      if (x < x1) x = x1;
    }
    if (vertical) {
      const y1 = clip.y1 as number;
      const y2 = clip.y2 as number;
      const from = y < y1 ? y1 - y : 0;
      const to = y + lines.length > y2 ? y2 - y : lines.length;
      lines = lines.slice(from, to);
      if (y < y1) y = y1;
    }
  }
  let offsetY = 0;
  for (const [index, text] of lines.entries()) {
    const row = pieces[y + offsetY];
    // Ink's rule: a line above or below the screen is skipped, and so are the lines after it.
    if (!row) continue;
    let line = text;
    for (const transform of write.transformers) line = transform(line, index);
    row.push({ x, line });
    offsetY++;
  }
}

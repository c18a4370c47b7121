// The Output both builds take in place of Ink's (src/ui/ink-kept/output.ts): frame for frame what Ink's own
// draws from the same writes (colours, wide characters, clips, transformers, rows off the screen), whether its
// rows are drawn anew or kept from a frame before.
// Ink's own, by its path: its exports do not name it.

import { describe, expect, it } from 'vitest';
import InkOutput from '../../node_modules/ink/build/output.js';
import measureText from '../../src/ui/ink-kept/measure-text.js';
import KeptOutput from '../../src/ui/ink-kept/output.js';
import wrapText from '../../src/ui/ink-kept/wrap-text.js';

type Writer = Pick<KeptOutput, 'write' | 'clip' | 'unclip' | 'get'>;
const cyan = (s: string) => `\u001b[36m${s}\u001b[39m`;
const upper = (s: string) => s.toUpperCase();
const numbered = (s: string, i: number) => `${i}${s}`;

/** Writes of the shapes Ink's renderNodeToOutput makes, on a 40x8 screen. */
const frames: ((o: Writer, n: number) => void)[] = [
  (o, n) => {
    o.write(0, 0, `kubesup-tui · monitor ${cyan('node4')}`, { transformers: [] });
    o.write(0, 1, `line=${n}\nline=${n + 1}`, { transformers: [upper] });
    o.write(30, 1, cyan('over'), { transformers: [] });
  },
  (o, n) => {
    o.clip({ x1: 2, x2: 12, y1: 1, y2: 5 });
    o.write(0, 0, `a long row clipped on both sides ${n}\nsecond\nthird\nfourth\nfifth\nsixth`, {
      transformers: [numbered],
    });
    o.write(50, 2, 'wholly to the right', { transformers: [] });
    o.unclip();
    o.write(0, 6, '日本語の行 wide', { transformers: [] });
  },
  (o) => {
    o.write(0, -1, 'above\nthe screen', { transformers: [] });
    o.write(0, 7, 'last\nbelow', { transformers: [] });
    o.write(38, 3, 'past the right edge', { transformers: [] });
    o.write(5, 4, '', { transformers: [] });
  },
];

function draw(Make: new (o: { width: number; height: number }) => Writer, frame: number, n: number): string {
  const output = new Make({ width: 40, height: 8 });
  frames[frame]?.(output, n);
  return output.get().output;
}

describe('the kept Output', () => {
  it('draws each frame as Ink draws it, also from rows kept of a frame before (1, 2, then 1 again)', () => {
    for (let frame = 0; frame < frames.length; frame++)
      for (const n of [1, 2, 1])
        expect(draw(KeptOutput, frame, n)).toBe(draw(InkOutput as unknown as typeof KeptOutput, frame, n));
  });
});

/** Characters of every kind a row can hold: plain ones at the edges of the plain set, and the others. */
const ALPHABET = [
  ...'az09 ~é×ÿ\u00a0…·‘’–—‰≤≥←↓─│┼▁█▏',
  '\u00ad', // soft hyphen: no cell
  'e\u0301', // a combining accent
  '\u200b', // zero-width space
  '日', // wide
  '😀', // astral, wide
  '\t',
  cyan('c'),
  '\u001b[1mb\u001b[22m',
];

/** A small deterministic generator: the same rows at every run. */
function* seeded(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x;
  }
}

describe('the kept Output, plain rows', () => {
  it('draws rows of plain text as Ink does: overlaps, columns past the edge, the end trimmed', () => {
    const frame = (o: Writer) => {
      o.write(0, 0, 'I1207 12:46:00.903440     315 kubelet.go:2180] "SyncLoop" line=17', { transformers: [] });
      o.write(0, 1, '── kubelet log · following · level ≥ info ─────', { transformers: [] });
      o.write(4, 1, 'over', { transformers: [] });
      o.write(45, 2, 'beyond the edge', { transformers: [] });
      o.write(2, 2, 'left', { transformers: [] });
      o.write(0, 3, 'trailing   ', { transformers: [] });
      o.write(0, 4, `plain then ${cyan('styled')}`, { transformers: [] });
      o.write(0, 5, 'plain', { transformers: [] });
      o.write(8, 5, cyan('styled'), { transformers: [] });
    };
    const kept = new KeptOutput({ width: 40, height: 8 });
    const ink = new InkOutput({ width: 40, height: 8 });
    frame(kept);
    frame(ink as unknown as Writer);
    expect(kept.get().output).toBe(ink.get().output);
  });

  it('draws 2,000 rows of mixed characters at mixed columns as Ink does', () => {
    const next = seeded(27);
    const pick = (n: number) => (next.next().value as number) % n;
    for (let round = 0; round < 250; round++) {
      const kept = new KeptOutput({ width: 24, height: 8 });
      const ink = new InkOutput({ width: 24, height: 8 });
      for (let w = 0; w < 8 + pick(8); w++) {
        const text = Array.from({ length: pick(30) }, () => ALPHABET[pick(ALPHABET.length)]).join('');
        const [x, y] = [pick(30) - 2, pick(8)];
        kept.write(x, y, text, { transformers: [] });
        ink.write(x, y, text, { transformers: [] });
      }
      expect(kept.get().output).toBe(ink.get().output);
    }
  });
});

describe("Ink's kept measures", () => {
  it('measure and cut as Ink does, and forget texts long gone', () => {
    expect(measureText('')).toEqual({ width: 0, height: 0 });
    expect(measureText('ab\n日本')).toEqual({ width: 4, height: 2 });
    expect(wrapText('abcdefgh', 5, 'truncate-end')).toBe('abcd…');
    expect(wrapText('abcdefgh', 5, 'truncate-middle')).toBe('ab…gh');
    expect(wrapText('abcdefgh', 5, 'wrap')).toBe('abcde\nfgh');
    const first = measureText('first');
    for (let n = 0; n < 5000; n++) measureText(`row ${n}`);
    expect(measureText('first')).not.toBe(first);
    expect(measureText('first')).toEqual(first);
  });
});

// The tokenizer both builds bundle in place of @alcalzone/ansi-tokenize: the library's answers, handed out
// again for a row drawn again, and a bounded hold.
import * as library from '@alcalzone/ansi-tokenize';
import { describe, expect, it } from 'vitest';
import { styledCharsFromTokens, styledCharsToString, tokenize } from '../../src/ui/ink-kept/ansi-tokenize.js';

const row = (n: number) => `\u001b[36mI1207 02:16:5${n % 10}.752783\u001b[39m  kubelet.go:2180] "SyncLoop" line=${n}`;

describe('the kept tokenizer', () => {
  it('answers as the library does, and a row drawn again gets the same answer, not a new one', () => {
    const text = row(1);
    const chars = styledCharsFromTokens(tokenize(text));
    expect(chars).toEqual(library.styledCharsFromTokens(library.tokenize(text)));
    expect(styledCharsToString(chars)).toBe(
      library.styledCharsToString(library.styledCharsFromTokens(library.tokenize(text))),
    );
    expect(styledCharsFromTokens(tokenize(text))).toBe(chars);
    expect(tokenize(text, 5)).toEqual(library.tokenize(text, 5));
  });

  it('forgets the rows of frames long gone: a flood of new rows does not keep them all', () => {
    const first = tokenize(row(0));
    for (let n = 1; n < 1000; n++) tokenize(row(n));
    expect(tokenize(row(0))).not.toBe(first);
    expect(tokenize(row(0))).toEqual(first);
  });
});

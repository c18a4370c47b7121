/**
 * @alcalzone/ansi-tokenize for the kept Output (output.ts): the same functions, and a row's tokens and styled
 * characters kept from one frame to the next. Ink draws each frame
 * whole and tokenizes every row of the screen again (an object and an array per character), though beside a
 * logging kubelet a frame differs from the last by one log line: profiled, that was half of a frame's time
 * and most of its garbage. The functions are pure and Ink only reads what they return, so an answer can be
 * handed out again. Held: the rows of the last frame or two, 1-2 MB at most.
 */
import {
  styledCharsFromTokens as fromTokens,
  type StyledChar,
  type Token,
  tokenize as tokenizeAnew,
} from '@alcalzone/ansi-tokenize';

export * from '@alcalzone/ansi-tokenize';

/** Rows per generation: about a 200x60 screen's rows, so a frame finds its rows in the last two. */
const GENERATION = 64;
let current = new Map<string, Token[]>();
let previous = new Map<string, Token[]>();
const styled = new WeakMap<Token[], StyledChar[]>();

export function tokenize(text: string, endChar?: number): Token[] {
  if (endChar !== undefined) return tokenizeAnew(text, endChar);
  let tokens = current.get(text) ?? previous.get(text);
  if (!tokens) tokens = tokenizeAnew(text);
  if (!current.has(text)) {
    if (current.size >= GENERATION) {
      previous = current;
      current = new Map();
    }
    current.set(text, tokens);
  }
  return tokens;
}

export function styledCharsFromTokens(tokens: Token[]): StyledChar[] {
  let chars = styled.get(tokens);
  if (!chars) {
    chars = fromTokens(tokens);
    styled.set(tokens, chars);
  }
  return chars;
}

/** Text fitted to a terminal's columns: cut with an ellipsis, wrapped, or made safe to print. */

/** Text cut to `width` columns with an ellipsis where it was cut, never mid-word when a space is near. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width === 1) return '…';
  const cut = chars.slice(0, width - 1).join('');
  const space = cut.lastIndexOf(' ');
  // Back to the last word's end when that loses little (under a quarter of the room).
  const kept = space >= 0 && space >= (width - 1) * 0.75 ? cut.slice(0, space) : cut;
  return `${kept.trimEnd()}…`;
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

/**
 * Text from the node made safe to print whole: every control character but the newline and the tab (ESC, CR,
 * BEL, DEL, the C1 set) and the marks that reverse the text's direction shown escaped (`\x1b`, `\r`, `\u202e`),
 * so that an argv or a file name can neither move the cursor, nor recolour or hide what follows.
 */
export function escapeControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/**
 * Text from the node made one line, for a comment in a file a shell runs: escaped as by escapeControls, and the
 * newline and the tab too. A drop-in named "a\nrm -rf /" must stay inside its comment.
 */
export function oneLine(text: string): string {
  return escapeControls(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
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

/**
 * Text wrapped at spaces onto rows of at most `width` columns; a word longer than a row is cut into pieces.
 * Its leading spaces (an indent, a right-aligned number) are kept, on every row.
 */
export function wrapWords(text: string, width: number): string[] {
  const indent = /^ */.exec(text)?.[0] ?? '';
  if (indent && indent.length < width / 2) {
    return wrapWords(text.slice(indent.length), width - indent.length).map((row) => indent + row);
  }
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = row ? `${row} ${word}` : word;
    if ([...next].length <= width) {
      row = next;
      continue;
    }
    if (row) rows.push(row);
    const chars = [...word];
    while (chars.length > width) rows.push(chars.splice(0, Math.max(1, width)).join(''));
    row = chars.join('');
  }
  if (row || !rows.length) rows.push(row);
  return rows;
}

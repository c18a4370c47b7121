/**
 * EnvironmentFile= contents, read as systemd's load_env_file reads them (src/basic/env-file.c,
 * parse_env_file_internal): a character-by-character state machine, reproduced state for state.
 * - lines starting (after blanks) with `#` or `;` are comments; a line without `=` is ignored;
 * - unquoted values keep inner whitespace and literal quotes after the first character, lose trailing
 *   whitespace; `\x` is `x`; a backslash before a newline continues the value;
 * - `'…'` is literal and may span lines; `"…"` may span lines and unescapes only `\" \\ \` \$` (any other
 *   backslash is kept, as the shell does), backslash-newline is a continuation;
 * - after a closing quote, the value goes on (`A="x"y` is `xy`);
 * - no `$VAR` expansion: service environment files are not expanded (only merge_env_file expands).
 * Variables with invalid names are dropped with a warning, as systemd's strv_env_clean does.
 */

export interface EnvFileAssignment {
  readonly name: string;
  readonly value: string;
  /** 1-based line where the assignment starts. */
  readonly line: number;
}

export interface ParsedEnvFile {
  readonly assignments: EnvFileAssignment[];
  readonly problems: string[];
}

const WHITESPACE = ' \t\n\r';
const NEWLINE = '\n\r';
const SHELL_NEED_ESCAPE = '"\\`$';

export function isValidEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

type State =
  | 'PRE_KEY'
  | 'KEY'
  | 'PRE_VALUE'
  | 'VALUE'
  | 'VALUE_ESCAPE'
  | 'SINGLE_QUOTE_VALUE'
  | 'DOUBLE_QUOTE_VALUE'
  | 'DOUBLE_QUOTE_VALUE_ESCAPE'
  | 'COMMENT'
  | 'COMMENT_ESCAPE';

export function parseEnvFile(text: string, file: string): ParsedEnvFile {
  const assignments: EnvFileAssignment[] = [];
  const problems: string[] = [];
  let state: State = 'PRE_KEY';
  let key = '';
  let value = '';
  let lastKeyWs = -1;
  let lastValueWs = -1;
  let line = 1;
  let keyLine = 1;

  const push = (chompValue: boolean) => {
    const name = lastKeyWs >= 0 ? key.slice(0, lastKeyWs) : key;
    const v = chompValue && lastValueWs >= 0 ? value.slice(0, lastValueWs) : value;
    if (!isValidEnvName(name)) problems.push(`${file}:${keyLine}: invalid variable name "${name}", ignored`);
    else assignments.push({ name, value: v, line: keyLine });
    key = '';
    value = '';
  };

  for (const c of text) {
    switch (state) {
      case 'PRE_KEY':
        if (c === '#' || c === ';') state = 'COMMENT';
        else if (!WHITESPACE.includes(c)) {
          state = 'KEY';
          lastKeyWs = -1;
          keyLine = line;
          key = c;
        }
        break;
      case 'KEY':
        if (NEWLINE.includes(c)) {
          state = 'PRE_KEY';
          key = '';
        } else if (c === '=') {
          state = 'PRE_VALUE';
          lastValueWs = -1;
        } else {
          if (!WHITESPACE.includes(c)) lastKeyWs = -1;
          else if (lastKeyWs === -1) lastKeyWs = key.length;
          key += c;
        }
        break;
      case 'PRE_VALUE':
        if (NEWLINE.includes(c)) {
          state = 'PRE_KEY';
          push(false);
        } else if (c === "'") state = 'SINGLE_QUOTE_VALUE';
        else if (c === '"') state = 'DOUBLE_QUOTE_VALUE';
        else if (c === '\\') state = 'VALUE_ESCAPE';
        else if (!WHITESPACE.includes(c)) {
          state = 'VALUE';
          value += c;
        }
        break;
      case 'VALUE':
        if (NEWLINE.includes(c)) {
          state = 'PRE_KEY';
          push(true);
        } else if (c === '\\') {
          state = 'VALUE_ESCAPE';
          lastValueWs = -1;
        } else {
          if (!WHITESPACE.includes(c)) lastValueWs = -1;
          else if (lastValueWs === -1) lastValueWs = value.length;
          value += c;
        }
        break;
      case 'VALUE_ESCAPE':
        state = 'VALUE';
        if (!NEWLINE.includes(c)) value += c;
        break;
      case 'SINGLE_QUOTE_VALUE':
        if (c === "'") state = 'PRE_VALUE';
        else value += c;
        break;
      case 'DOUBLE_QUOTE_VALUE':
        if (c === '"') state = 'PRE_VALUE';
        else if (c === '\\') state = 'DOUBLE_QUOTE_VALUE_ESCAPE';
        else value += c;
        break;
      case 'DOUBLE_QUOTE_VALUE_ESCAPE':
        state = 'DOUBLE_QUOTE_VALUE';
        if (SHELL_NEED_ESCAPE.includes(c)) value += c;
        else if (c !== '\n') value += `\\${c}`;
        break;
      case 'COMMENT':
        if (c === '\\') state = 'COMMENT_ESCAPE';
        else if (NEWLINE.includes(c)) state = 'PRE_KEY';
        break;
      case 'COMMENT_ESCAPE':
        // Since systemd v254 a backslash at the end of a comment no longer continues it.
        state = NEWLINE.includes(c) ? 'PRE_KEY' : 'COMMENT';
        break;
    }
    if (c === '\n') line++;
  }
  if (state === 'SINGLE_QUOTE_VALUE' || state === 'DOUBLE_QUOTE_VALUE' || state === 'DOUBLE_QUOTE_VALUE_ESCAPE') {
    problems.push(`${file}:${keyLine}: unterminated quote in the value of ${key.trim()}`);
  }
  if (
    [
      'PRE_VALUE',
      'VALUE',
      'VALUE_ESCAPE',
      'SINGLE_QUOTE_VALUE',
      'DOUBLE_QUOTE_VALUE',
      'DOUBLE_QUOTE_VALUE_ESCAPE',
    ].includes(state)
  ) {
    push(state === 'VALUE');
  }
  return { assignments, problems };
}

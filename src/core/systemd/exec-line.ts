/**
 * Command lines of ExecStart= and ExecStartPre=, as systemd parses and expands them
 * (systemd.service(5) "Command lines"; src/core/load-fragment.c config_parse_exec; src/basic/env-util.c
 * replace_env_argv):
 * - prefixes `@ - : + ! |` before the executable; `@` makes the second word argv[0]; `:` turns off variable
 *   expansion;
 * - words split at whitespace; `"…"` and `'…'` group and are removed; C-style escapes (`\n`, `\x41`, `\\`);
 * - specifiers per word (`%%` is `%`, `%n` the unit name, `%H` the host name, …);
 * - at start, a word that is exactly `$NAME` becomes the variable's value split at whitespace (quotes
 *   respected and removed): zero or more arguments, none when unset or empty; `${NAME}` anywhere in a word is
 *   replaced by the exact value (empty when unset); `$$` is `$`; a braceless `$NAME` inside a longer word
 *   stays literally.
 * Each resulting argument remembers where it came from.
 */
import { ToolError } from '../errors.js';

export interface Origin {
  readonly file: string;
  readonly line: number;
}

export interface EnvValue {
  readonly value: string;
  readonly origin: Origin;
  /** `Environment=` or `EnvironmentFile=`. */
  readonly kind: 'Environment' | 'EnvironmentFile';
}

export interface SourcedArg {
  readonly arg: string;
  /** The ExecStart line the word is on. */
  readonly origin: Origin;
  /** When the argument came from a variable: its name and where that variable was set. */
  readonly variable?: { readonly name: string; readonly origin: Origin | null; readonly kind: EnvValue['kind'] | null };
}

export interface ParsedCommand {
  readonly prefixes: string;
  /** The program to execute (the first word, after prefixes). */
  readonly path: string;
  /** Words after unquoting and specifiers, before variable expansion (argv[0] first). */
  readonly words: string[];
  readonly origin: Origin;
  readonly ignoreFailure: boolean;
  readonly noExpansion: boolean;
}

export class ExecParseError extends ToolError {}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
  s: ' ',
};

/** One C escape after a backslash at text[i]; returns [char(s), length consumed after the backslash]. */
function cunescapeOne(text: string, i: number): [string, number] {
  const c = text[i] as string;
  if (c in ESCAPES) return [ESCAPES[c] as string, 1];
  if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3)))
    return [String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 3), 16)), 3];
  if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5)))
    return [String.fromCodePoint(Number.parseInt(text.slice(i + 1, i + 5), 16)), 5];
  if (c === 'U' && /^[0-9a-fA-F]{8}$/.test(text.slice(i + 1, i + 9)))
    return [String.fromCodePoint(Number.parseInt(text.slice(i + 1, i + 9), 16)), 9];
  if (/^[0-7]{3}$/.test(text.slice(i, i + 3)))
    return [String.fromCharCode(Number.parseInt(text.slice(i, i + 3), 8)), 3];
  throw new ExecParseError(`invalid escape "\\${c}"`);
}

/**
 * systemd's extract_first_word over a whole line: whitespace-separated words, quotes removed.
 * `cunescape`: C escapes (unit files); otherwise a backslash just makes the next character literal
 * (splitting a variable's value). `relax`: an unterminated quote runs to the end instead of failing.
 */
export function splitWords(text: string, options: { cunescape: boolean; relax: boolean }): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
    if (i >= text.length) break;
    let word = '';
    let quote: '"' | "'" | null = null;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '\\' && i + 1 < text.length) {
        if (options.cunescape) {
          const [ch, len] = cunescapeOne(text, i + 1);
          word += ch;
          i += len;
        } else {
          word += text[i + 1];
          i++;
        }
        continue;
      }
      if (quote) {
        if (c === quote) quote = null;
        else word += c;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        continue;
      }
      if (' \t\n\r'.includes(c)) break;
      word += c;
    }
    if (quote && !options.relax) throw new ExecParseError('unbalanced quotes');
    words.push(word);
  }
  return words;
}

export interface SpecifierContext {
  readonly unitName: string;
  readonly hostname?: string;
}

/** systemd specifiers in one word. Unknown ones are an error, as systemd rejects the line. */
export function expandSpecifiers(word: string, ctx: SpecifierContext): string {
  const prefix = ctx.unitName.replace(/\.[^.]+$/, '');
  const table: Record<string, string | undefined> = {
    '%': '%',
    n: ctx.unitName,
    N: prefix,
    p: prefix.replace(/@.*$/, ''),
    P: prefix.replace(/@.*$/, ''),
    i: prefix.includes('@') ? prefix.replace(/^[^@]*@/, '') : '',
    I: prefix.includes('@') ? prefix.replace(/^[^@]*@/, '') : '',
    H: ctx.hostname,
    l: ctx.hostname?.split('.')[0],
    t: '/run',
    S: '/var/lib',
    C: '/var/cache',
    L: '/var/log',
    E: '/etc',
    T: '/tmp',
    V: '/var/tmp',
    h: '/root',
    u: 'root',
    U: '0',
    g: 'root',
    G: '0',
    s: '/bin/sh',
  };
  return word.replace(/%(.?)/g, (_, spec: string) => {
    const value = table[spec];
    if (value === undefined)
      throw new ExecParseError(spec ? `unknown specifier "%${spec}"` : 'lone "%" at the end of a word');
    return value;
  });
}

/** Parse one ExecStart=/ExecStartPre= value (after unit-file line joining). */
export function parseCommandLine(value: string, origin: Origin, ctx: SpecifierContext): ParsedCommand {
  const m = /^([-@:+!|]*)/.exec(value) as RegExpExecArray;
  const prefixes = m[1] as string;
  const words = splitWords(value.slice(prefixes.length), { cunescape: true, relax: false }).map((w) =>
    expandSpecifiers(w, ctx),
  );
  if (words.length === 0) throw new ExecParseError('no command');
  const path = words[0] as string;
  // `@/usr/bin/kubelet kubelet --flags`: the first word is the program, the second its argv[0].
  const argvWords = prefixes.includes('@') ? words.slice(1) : words;
  if (prefixes.includes('@') && argvWords.length === 0) throw new ExecParseError('"@" prefix without an argv[0]');
  return {
    prefixes,
    path,
    words: argvWords,
    origin,
    ignoreFailure: prefixes.includes('-'),
    noExpansion: prefixes.includes(':'),
  };
}

/** ${NAME} substitution within a word (replace_env with no flags): `$$` is `$`, braceless `$NAME` stays. */
function replaceBraced(word: string, env: ReadonlyMap<string, EnvValue>, used: string[]): string {
  return word.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)\})/g, (_, what: string, name: string | undefined) => {
    if (what === '$') return '$';
    used.push(name as string);
    return env.get(name as string)?.value ?? '';
  });
}

export interface Expansion {
  readonly args: SourcedArg[];
  /** Variables referenced but not set (they expand to nothing). */
  readonly unset: string[];
}

/** The argv systemd executes for this command under this environment. */
export function expandCommand(cmd: ParsedCommand, env: ReadonlyMap<string, EnvValue>): Expansion {
  const args: SourcedArg[] = [];
  const unset: string[] = [];
  cmd.words.forEach((word, index) => {
    // The program (argv[0]) is never expanded; neither is anything after a ':' prefix.
    if (index === 0 || cmd.noExpansion) {
      args.push({ arg: word, origin: cmd.origin });
      return;
    }
    if (word.startsWith('$') && word[1] !== '{' && word[1] !== '$' && word.length > 1) {
      const name = word.slice(1);
      const found = env.get(name);
      if (!found) {
        unset.push(name);
        return;
      }
      for (const part of splitWords(found.value, { cunescape: false, relax: true })) {
        args.push({ arg: part, origin: cmd.origin, variable: { name, origin: found.origin, kind: found.kind } });
      }
      return;
    }
    const used: string[] = [];
    const arg = replaceBraced(word, env, used);
    for (const name of used) if (!env.has(name)) unset.push(name);
    const first = used[0];
    const from = first !== undefined ? env.get(first) : undefined;
    args.push(
      first !== undefined
        ? { arg, origin: cmd.origin, variable: { name: first, origin: from?.origin ?? null, kind: from?.kind ?? null } }
        : { arg, origin: cmd.origin },
    );
  });
  return { args, unset: [...new Set(unset)] };
}

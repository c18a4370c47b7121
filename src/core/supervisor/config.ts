/**
 * supervisord's configuration files, read with supervisord's own rules.
 *
 * supervisord parses with Python 3's RawConfigParser (strict=False, inline_comment_prefixes=(';', '#')):
 * - a line whose first non-blank character is `;` or `#` is a comment;
 * - after a value, `;` or `#` starts a comment only when whitespace precedes it
 *   (`--flag=a;b` keeps `;b`; `--flag=a ;b` does not) — the `ini` package gets this wrong, so it is not used here;
 * - an indented line continues the previous value; keys are case-insensitive; `=` or `:` separate key and value;
 * - a section that appears twice is merged (strict=False).
 * Values are then %-expanded (`%(here)s`, `%(ENV_X)s`, `%%`) by supervisord itself.
 */
import path from 'node:path/posix';
import { ToolError } from '../errors.js';

export interface ConfigEntry {
  readonly value: string;
  /** 1-based line of the key. */
  readonly line: number;
}

export interface SupervisorConfig {
  readonly path: string;
  /** Section name (as written, e.g. `program:kubelet`) to its keys (lower-cased). */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, ConfigEntry>>;
  /** Lines that could not be understood; supervisord would refuse to start with most of these. */
  readonly problems: readonly string[];
}

const COMMENT_PREFIXES = [';', '#'];

/** Cut an inline comment: the first `;` or `#` at the start or preceded by whitespace. */
export function stripInlineComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (COMMENT_PREFIXES.includes(ch) && (i === 0 || /\s/.test(line[i - 1] as string))) {
      return line.slice(0, i);
    }
  }
  return line;
}

export function parseSupervisorConfig(text: string, filePath: string): SupervisorConfig {
  const sections = new Map<string, Map<string, ConfigEntry>>();
  const problems: string[] = [];
  let current: Map<string, ConfigEntry> | undefined;
  let lastKey: string | undefined;
  let lastIndent = 0;

  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const value = stripInlineComment(raw);
    const trimmed = value.trim();
    const firstNonBlank = raw.trimStart()[0];
    if (firstNonBlank !== undefined && COMMENT_PREFIXES.includes(firstNonBlank)) return;
    if (trimmed === '') {
      // A blank line inside a value is kept by configparser, but trailing blanks are dropped later.
      if (current && lastKey) {
        const prev = current.get(lastKey) as ConfigEntry;
        current.set(lastKey, { ...prev, value: `${prev.value}\n` });
      }
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    if (current && lastKey && indent > lastIndent) {
      const prev = current.get(lastKey) as ConfigEntry;
      current.set(lastKey, { ...prev, value: `${prev.value}\n${trimmed}` });
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      const name = (header[1] as string).trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = undefined;
      return;
    }
    const option = /^(.*?)\s*([=:])\s*(.*)$/.exec(trimmed);
    if (!current) {
      problems.push(`${filePath}:${lineNo}: text before any [section]`);
      return;
    }
    if (!option || (option[1] as string) === '') {
      problems.push(`${filePath}:${lineNo}: not a "key = value" line: ${trimmed.slice(0, 60)}`);
      return;
    }
    lastKey = (option[1] as string).toLowerCase();
    lastIndent = indent;
    current.set(lastKey, { value: option[3] as string, line: lineNo });
  });

  // configparser strips trailing blank lines from multi-line values.
  for (const section of sections.values()) {
    for (const [key, entry] of section) section.set(key, { ...entry, value: entry.value.replace(/\n+$/, '') });
  }
  return { path: filePath, sections, problems };
}

/**
 * supervisord's `%(name)s` expansion. `%%` is a literal `%`; an unknown name or a lone `%` is an error
 * in supervisord ("badly formatted"), reported here as an Error with the same meaning.
 */
export function expandPercent(value: string, names: Readonly<Record<string, string>>): string {
  return value.replace(/%(?:\(([^)]*)\)s|%|(.?))/g, (match, name: string | undefined, bad: string | undefined) => {
    if (match === '%%') return '%';
    if (name !== undefined) {
      const found = names[name];
      if (found === undefined) throw new ToolError(`unknown %(${name})s`);
      return found;
    }
    throw new ToolError(`badly formatted: lone "%${bad ?? ''}"`);
  });
}

/** Names supervisord offers to every value: `here` and `ENV_X` for its environment. */
export function expansionNames(configPath: string, env: Readonly<Record<string, string | undefined>>) {
  const names: Record<string, string> = { here: path.dirname(configPath) };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) names[`ENV_${k}`] = v;
  return names;
}

export function getValue(config: SupervisorConfig, section: string, key: string): string | undefined {
  return config.sections.get(section)?.get(key)?.value;
}

export interface SupervisorEndpoint {
  /** `unix:///path.sock` or `http://host:port`. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Where the url came from, for messages: `[supervisorctl] serverurl` etc. */
  readonly source: string;
}

/**
 * Where supervisorctl would connect: `[supervisorctl] serverurl`, else the `[unix_http_server]` socket,
 * else the `[inet_http_server]` port. Credentials: `[supervisorctl]`'s, else the server section's.
 */
export function resolveEndpoint(
  config: SupervisorConfig,
  env: Readonly<Record<string, string | undefined>> = {},
): SupervisorEndpoint | undefined {
  const names = expansionNames(config.path, env);
  const expand = (v: string | undefined) => (v === undefined ? undefined : expandPercent(v.trim(), names));
  const serverUrl = expand(getValue(config, 'supervisorctl', 'serverurl'));
  const unixFile = expand(getValue(config, 'unix_http_server', 'file'));
  const inetPort = expand(getValue(config, 'inet_http_server', 'port'));

  let url: string | undefined;
  let source = '';
  let authSection = '';
  if (serverUrl) {
    url = serverUrl;
    source = `[supervisorctl] serverurl in ${config.path}`;
    authSection = serverUrl.startsWith('unix://') ? 'unix_http_server' : 'inet_http_server';
  } else if (unixFile) {
    url = `unix://${path.resolve(path.dirname(config.path), unixFile)}`;
    source = `[unix_http_server] file in ${config.path}`;
    authSection = 'unix_http_server';
  } else if (inetPort) {
    const hostPort = inetPort.includes(':') ? inetPort : `localhost:${inetPort}`;
    url = `http://${hostPort.replace(/^\*:/, 'localhost:').replace(/^:/, 'localhost:')}`;
    source = `[inet_http_server] port in ${config.path}`;
    authSection = 'inet_http_server';
  }
  if (!url) return undefined;
  const username =
    expand(getValue(config, 'supervisorctl', 'username')) ?? expand(getValue(config, authSection, 'username'));
  const password =
    expand(getValue(config, 'supervisorctl', 'password')) ?? expand(getValue(config, authSection, 'password'));
  return {
    url,
    source,
    ...(username ? { username } : {}),
    ...(password !== undefined && username ? { password } : {}),
  };
}

/**
 * The credentials for a given URL: `[supervisorctl]`'s when its serverurl is that URL, else those of the
 * server section the URL points to (`[inet_http_server]` for http, `[unix_http_server]` for a socket).
 */
export function credentialsFor(
  config: SupervisorConfig,
  url: string,
  env: Readonly<Record<string, string | undefined>> = {},
): { username?: string; password?: string } {
  const names = expansionNames(config.path, env);
  const expand = (v: string | undefined) => (v === undefined ? undefined : expandPercent(v.trim(), names));
  const fromCtl = expand(getValue(config, 'supervisorctl', 'serverurl')) === url;
  const section = url.startsWith('unix://') ? 'unix_http_server' : 'inet_http_server';
  const pick = (key: string) =>
    (fromCtl ? expand(getValue(config, 'supervisorctl', key)) : undefined) ?? expand(getValue(config, section, key));
  const username = pick('username');
  const password = pick('password');
  return { ...(username ? { username } : {}), ...(username && password !== undefined ? { password } : {}) };
}

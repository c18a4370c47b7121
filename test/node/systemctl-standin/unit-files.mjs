import fs from 'node:fs';
import path from 'node:path';

export const STATE = '/run/systemctl-standin';
// Debian's systemd 252 searches /lib/systemd/system before /usr/lib/systemd/system (`systemd-analyze
// unit-paths`): on a merged /usr, `enable` links to the /lib spelling, as here.
const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
];

export const unitName = (n) => (n.includes('.') ? n : `${n}.service`);
export const readText = (p) => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};
export const isLink = (p) => {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};
export const exists = (p) => {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

function fragmentPath(unit) {
  for (const dir of UNIT_DIRS) {
    const p = path.join(dir, unit);
    if (exists(p)) return p;
  }
  return undefined;
}
export function isMasked(unit) {
  for (const dir of ['/etc/systemd/system', '/run/systemd/system']) {
    const p = path.join(dir, unit);
    if (isLink(p) && fs.readlinkSync(p) === '/dev/null') return true;
  }
  return false;
}
function dropInPaths(unit) {
  const byName = new Map();
  for (const dir of UNIT_DIRS) {
    const d = path.join(dir, `${unit}.d`);
    let names = [];
    try {
      names = fs.readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) if (n.endsWith('.conf') && !byName.has(n)) byName.set(n, path.join(d, n));
  }
  return [...byName.keys()].sort().map((n) => byName.get(n));
}

// Unit file lines: comments, backslash continuations; returns [section, key, value] triples in order.
function unitEntries(text) {
  const out = [];
  let section = '';
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#') || line.startsWith(';'))) continue;
    if (pending && (line.startsWith('#') || line.startsWith(';'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = pending + line;
    pending = '';
    const sec = /^\[(.+)\]$/.exec(full);
    if (sec) {
      section = sec[1];
      continue;
    }
    const eq = full.indexOf('=');
    if (eq > 0) out.push([section, full.slice(0, eq).trim(), full.slice(eq + 1).trim()]);
  }
  return out;
}

export function loadUnit(unit) {
  const fragment = fragmentPath(unit);
  if (!fragment || isMasked(unit)) return { unit, fragment, dropIns: [], settings: new Map(), lists: new Map() };
  const files = [fragment, ...dropInPaths(unit)];
  const settings = new Map();
  const lists = new Map(); // keys that accumulate; an empty value resets
  for (const f of files) {
    for (const [section, key, value] of unitEntries(readText(f) ?? '')) {
      const k = `${section}.${key}`;
      if (
        [
          'Service.ExecStart',
          'Service.ExecStartPre',
          'Service.ExecStop',
          'Service.Environment',
          'Service.EnvironmentFile',
          'Unit.After',
          'Unit.ConditionPathExists',
        ].includes(k)
      ) {
        if (value === '') lists.set(k, []);
        else lists.set(k, [...(lists.get(k) ?? []), value]);
      } else settings.set(k, value);
    }
  }
  return { unit, fragment, dropIns: files.slice(1), settings, lists };
}

// Split words the way systemd does for Environment= and ExecStart=: quotes group, backslash escapes.
function splitWords(s) {
  const words = [];
  let cur = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (/\s/.test(c)) {
      if (cur !== null) {
        words.push(cur);
        cur = null;
      }
      continue;
    }
    cur ??= '';
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      cur += s.slice(i + 1, end < 0 ? s.length : end);
      i = end < 0 ? s.length : end;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
    } else cur += c;
  }
  if (cur !== null) words.push(cur);
  return words;
}

// EnvironmentFile= syntax: KEY=VALUE, quotes (may span lines), backslash continuation, comments.
function parseEnvFile(text) {
  const env = {};
  let i = 0;
  while (i < text.length) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = text.length;
    const lead = text.slice(i, lineEnd).trimStart();
    if (lead === '' || lead.startsWith('#') || lead.startsWith(';') || !lead.includes('=')) {
      i = lineEnd + 1;
      continue;
    }
    i += text.slice(i, lineEnd).length - lead.length;
    const eq = text.indexOf('=', i);
    const key = text.slice(i, eq).trim();
    i = eq + 1;
    while (text[i] === ' ' || text[i] === '\t') i++;
    let value = '';
    while (i < text.length && text[i] !== '\n') {
      const c = text[i];
      if (c === "'") {
        const end = text.indexOf("'", i + 1);
        value += text.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && text[i + 1] === '\n') {
            i += 2;
            continue;
          }
          if (text[i] === '\\' && '"\\`$'.includes(text[i + 1])) {
            value += text[i + 1];
            i += 2;
            continue;
          }
          value += text[i++];
        }
        i++;
      } else if (c === '\\') {
        if (text[i + 1] === '\n') {
          i += 2;
          continue;
        }
        value += text[i + 1] ?? '';
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    env[key] = value.replace(/\s+$/, '');
    i++;
  }
  return env;
}

export function unitEnvironment(u) {
  const env = {};
  for (const line of u.lists.get('Service.Environment') ?? []) {
    for (const word of splitWords(line)) {
      const eq = word.indexOf('=');
      if (eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  for (let f of u.lists.get('Service.EnvironmentFile') ?? []) {
    const optional = f.startsWith('-');
    if (optional) f = f.slice(1);
    const text = readText(f);
    if (text === undefined) {
      if (!optional) throw new Error(`Failed to load environment files: ${f}`);
      continue;
    }
    Object.assign(env, parseEnvFile(text));
  }
  return env;
}

export function expandCommand(line, env) {
  let cmd = line.replace(/^[-@+!:]+/, '');
  cmd = cmd.replace(/%%/g, '\u0000');
  const argv = [];
  for (const word of tokenizeKeepingVars(cmd)) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word.raw);
    if (whole && !word.quoted) {
      argv.push(...splitWords(env[whole[1]] ?? ''));
      continue;
    }
    argv.push(
      word.text
        .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n) => env[n] ?? '')
        .replace(/\$\$/g, '$')
        // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL stands in for %% while expanding
        .replace(/\u0000/g, '%'),
    );
  }
  return argv;
}
export function tokenizeKeepingVars(s) {
  const out = [];
  let i = 0;
  while (i < s.length) {
    while (/\s/.test(s[i] ?? '')) i++;
    if (i >= s.length) break;
    let text = '';
    let raw = '';
    let quoted = false;
    while (i < s.length && !/\s/.test(s[i])) {
      const c = s[i];
      if (c === '"' || c === "'") {
        const end = s.indexOf(c, i + 1);
        text += s.slice(i + 1, end);
        raw += s.slice(i, end + 1);
        quoted = true;
        i = end + 1;
      } else if (c === '\\' && i + 1 < s.length) {
        text += s[i + 1];
        raw += s.slice(i, i + 2);
        i += 2;
      } else {
        text += c;
        raw += c;
        i++;
      }
    }
    out.push({ text, raw, quoted });
  }
  return out;
}

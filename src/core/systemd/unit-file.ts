/**
 * systemd unit file syntax (systemd.syntax(7)):
 * - empty lines and lines starting with `#` or `;` are comments; comments never start mid-line;
 * - a line ending in `\` continues on the next, the backslash replaced by a space; comment lines inside a
 *   continuation are skipped;
 * - `[Section]` headers; `Key=Value` with whitespace around `=` ignored.
 */

export interface UnitEntry {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  readonly file: string;
  /** 1-based line where the entry starts. */
  readonly line: number;
}

export interface ParsedUnitFile {
  readonly entries: UnitEntry[];
  readonly problems: string[];
}

export function parseUnitFile(text: string, file: string): ParsedUnitFile {
  const entries: UnitEntry[] = [];
  const problems: string[] = [];
  let section = '';
  let pending: { text: string; line: number } | null = null;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const isComment = line.startsWith('#') || line.startsWith(';');
    if (pending) {
      if (isComment) return; // a comment inside a continuation is skipped
    } else if (line === '' || isComment) {
      return;
    }
    if (line.endsWith('\\')) {
      const part = `${line.slice(0, -1)} `;
      pending = pending ? { ...pending, text: pending.text + part } : { text: part, line: index + 1 };
      return;
    }
    const full = pending ? pending.text + line : line;
    const startLine = pending ? pending.line : index + 1;
    pending = null;
    if (full.startsWith('[')) {
      const m = /^\[([^\]]+)\]$/.exec(full);
      if (m) section = m[1] as string;
      else problems.push(`${file}:${startLine}: bad section header: ${full.slice(0, 60)}`);
      return;
    }
    const eq = full.indexOf('=');
    if (eq <= 0) {
      problems.push(`${file}:${startLine}: not a Key=Value line: ${full.slice(0, 60)}`);
      return;
    }
    if (!section) {
      problems.push(`${file}:${startLine}: assignment outside of a section: ${full.slice(0, 60)}`);
      return;
    }
    entries.push({ section, key: full.slice(0, eq).trim(), value: full.slice(eq + 1).trim(), file, line: startLine });
  });
  if (pending) {
    const p = pending as { text: string; line: number };
    problems.push(`${file}:${p.line}: file ends inside a continued line`);
  }
  return { entries, problems };
}

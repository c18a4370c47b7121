/**
 * A reader for the plain YAML that tools write kubelet's config in (kubeadm, kubespray, kubekey): block
 * mappings and block lists of one-line scalars, plain or quoted without escapes, `{}` and `[]`, comments;
 * scalars typed by YAML 1.2's core schema, as the yaml package types them. Anything else (other flow
 * collections, anchors, tags, block or multi-line scalars, escapes, duplicate keys, several documents, tabs,
 * odd indentation) gives undefined, and the caller parses the text with the yaml package: that package is
 * the reference (test/unit/plain-yaml.test.ts holds both to the same answers), but loading and running it
 * cost every `status` ~25 ms of a ~140 ms start.
 */

export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };

interface Line {
  readonly indent: number;
  /** Without the indentation; never blank, never a comment line. */
  readonly text: string;
}

/** Not in the subset: the yaml package decides. */
class Unsure extends Error {}

const KEY = /^([A-Za-z0-9_][A-Za-z0-9_./-]*|"[^"\\]*"|'(?:[^']|'')*')[ ]*:(?:[ ]+(.*))?$/;
const DOUBLE_QUOTED = /^"([^"\\]*)"(?:[ ]+#.*)?$/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)'(?:[ ]+#.*)?$/;
const EMPTY_FLOW = /^(\{\}|\[\])(?:[ ]+#.*)?$/;
// A plain scalar may not start with an indicator; `-` is allowed before a digit (a negative number).
const PLAIN_START = /^(?:[^-?:,[\]{}#&*!|>'"%@`\s]|-[0-9.])/;

function unquote(key: string): string {
  if (key.startsWith('"')) return key.slice(1, -1);
  if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/** YAML 1.2 core schema, as the yaml package resolves a plain scalar. */
function typed(plain: string): PlainValue {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(plain)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(plain)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(plain)) return false;
  if (/^0o[0-7]+$/.test(plain)) return Number.parseInt(plain.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(plain)) return Number.parseInt(plain, 10);
  if (/^0x[0-9a-fA-F]+$/.test(plain)) return Number.parseInt(plain.slice(2), 16);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(plain)) return plain.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(plain)) return Number.NaN;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(plain)) return Number.parseFloat(plain);
  return plain;
}

/** A one-line scalar (or `{}`, `[]`) after `key: ` or `- `. */
function scalar(raw: string): PlainValue {
  const text = raw.trimEnd();
  let m = DOUBLE_QUOTED.exec(text);
  if (m) return m[1] as string;
  m = SINGLE_QUOTED.exec(text);
  if (m) return (m[1] as string).replace(/''/g, "'");
  m = EMPTY_FLOW.exec(text);
  if (m) return m[1] === '{}' ? {} : [];
  if (!PLAIN_START.test(text)) throw new Unsure();
  const comment = text.search(/[ ]#/);
  const plain = comment === -1 ? text : text.slice(0, comment).trimEnd();
  // `a: b` inside a value, flow indicators: legal in places, but not worth being sure of here.
  if (/: |:$|[[\]{}]|\t/.test(plain)) throw new Unsure();
  return typed(plain);
}

class Reader {
  private at = 0;

  constructor(private readonly lines: readonly Line[]) {}

  document(): PlainValue {
    const first = this.lines[0];
    if (!first) return null;
    if (first.indent !== 0) throw new Unsure();
    const value = this.block(0);
    if (this.at !== this.lines.length) throw new Unsure();
    return value;
  }

  private isItem(line: Line | undefined, indent: number): boolean {
    return line !== undefined && line.indent === indent && (line.text === '-' || line.text.startsWith('- '));
  }

  private block(indent: number): PlainValue {
    return this.isItem(this.lines[this.at], indent) ? this.list(indent) : this.mapping(indent);
  }

  /** What follows `key:` or `-` with nothing after it: a nested block, a list at the key's own indent, or null. */
  private nested(indent: number, listAtSameIndent: boolean): PlainValue {
    const next = this.lines[this.at];
    if (next && next.indent > indent) return this.block(next.indent);
    if (listAtSameIndent && this.isItem(next, indent)) return this.list(indent);
    return null;
  }

  private mapping(indent: number): PlainValue {
    const out: Record<string, PlainValue> = {};
    for (let line = this.lines[this.at]; line && line.indent === indent; line = this.lines[this.at]) {
      if (this.isItem(line, indent)) break;
      const m = KEY.exec(line.text);
      if (!m) throw new Unsure();
      const key = unquote(m[1] as string);
      if (Object.hasOwn(out, key) || key === '__proto__') throw new Unsure();
      this.at++;
      out[key] = m[2] === undefined || m[2].trim() === '' || /^#/.test(m[2]) ? this.nested(indent, true) : scalar(m[2]);
    }
    return out;
  }

  private list(indent: number): PlainValue {
    const out: PlainValue[] = [];
    for (let line = this.lines[this.at]; this.isItem(line, indent); line = this.lines[this.at]) {
      const item = (line as Line).text.slice(1).trim();
      this.at++;
      if (item === '' || item.startsWith('#')) out.push(this.nested(indent, false));
      else if (item.startsWith('- ') || item === '-' || KEY.test(item)) throw new Unsure();
      else out.push(scalar(item));
    }
    return out;
  }
}

/** The document, or undefined when the text is not in the plain subset (then ask the yaml package). */
export function readPlainYaml(text: string): PlainValue | undefined {
  if (/[\t\r\\]/.test(text)) return undefined;
  const lines: Line[] = [];
  let started = false;
  for (const raw of text.split('\n')) {
    const body = raw.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    if (!started && raw === '---') {
      started = true;
      continue;
    }
    started = true;
    if (raw.startsWith('---') || raw.startsWith('...') || raw.startsWith('%')) return undefined;
    lines.push({ indent: raw.length - body.length, text: body.trimEnd() });
  }
  try {
    return new Reader(lines).document();
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
}

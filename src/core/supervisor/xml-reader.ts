/**
 * The XML that XML-RPC answers are made of, read strictly in one pass: elements (attributes skipped), text
 * with the five predefined entities and character references, CDATA, comments and processing instructions
 * (the `<?xml?>` declaration). A DOCTYPE is refused: XML-RPC has none. Line ends are normalised to `\n`, as
 * XML requires. Control characters that XML 1.0 forbids are kept: Python's xmlrpc.client sends a program's
 * log with its colour escapes as they are, and supervisorctl shows them.
 * Written for `status`'s start: saxes cost it ~5 ms more, too near its target beside js-yaml; txml, the one
 * lighter parser tried, neither refuses malformed XML nor decodes entities (figures in bench/analysis.md).
 */

export interface XmlHandlers {
  open(name: string): void;
  text(text: string): void;
  close(name: string): void;
}

/** Not well-formed XML. */
export class XmlError extends Error {}

// Tag names in XML-RPC are ASCII; a name outside this is refused as not well-formed.
const NAME = '[A-Za-z_:][-A-Za-z0-9_.:]*';
const OPEN_TAG = new RegExp(`<(${NAME})(?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*\\s*(/?)>`, 'y');
const CLOSE_TAG = new RegExp(`</(${NAME})\\s*>`, 'y');
const REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z]+));/y;
const ENTITIES = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

function lineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function decodeText(raw: string): string {
  const text = lineEnds(raw);
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    REFERENCE.lastIndex = amp;
    const m = REFERENCE.exec(text);
    if (!m) throw new XmlError(`a bare & in text: ${JSON.stringify(text.slice(amp, amp + 12))}`);
    let char: string | undefined;
    if (m[3] !== undefined) char = ENTITIES.get(m[3]);
    else {
      const code = m[1] !== undefined ? Number.parseInt(m[1], 16) : Number.parseInt(m[2] as string, 10);
      char = code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
    }
    if (char === undefined) throw new XmlError(`unknown reference ${m[0]}`);
    out += text.slice(from, amp) + char;
    from = REFERENCE.lastIndex;
    amp = text.indexOf('&', from);
  }
  return out + text.slice(from);
}

/** Reads `xml` from start to end, calling `on` for each element and run of text; throws XmlError. */
export function readXml(xml: string, on: XmlHandlers): void {
  const open: string[] = [];
  let rooted = false;
  let i = 0;
  const skipTo = (end: string, from: number, what: string) => {
    const at = xml.indexOf(end, from);
    if (at === -1) throw new XmlError(`an unclosed ${what}`);
    return at;
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > i) {
      const raw = xml.slice(i, textEnd);
      if (open.length) on.text(decodeText(raw));
      else if (/[^ \t\r\n]/.test(raw)) throw new XmlError('text outside the root element');
    }
    if (lt === -1) break;
    if (xml.startsWith('<?', lt)) i = skipTo('?>', lt + 2, 'processing instruction') + 2;
    else if (xml.startsWith('<!--', lt)) i = skipTo('-->', lt + 4, 'comment') + 3;
    else if (xml.startsWith('<![CDATA[', lt)) {
      const end = skipTo(']]>', lt + 9, 'CDATA section');
      if (!open.length) throw new XmlError('CDATA outside the root element');
      on.text(lineEnds(xml.slice(lt + 9, end)));
      i = end + 3;
    } else if (xml.startsWith('</', lt)) {
      CLOSE_TAG.lastIndex = lt;
      const m = CLOSE_TAG.exec(xml);
      if (!m) throw new XmlError(`a malformed closing tag at ${lt}`);
      const name = m[1] as string;
      if (open.pop() !== name) throw new XmlError(`</${name}> closes no open <${name}>`);
      on.close(name);
      i = CLOSE_TAG.lastIndex;
    } else {
      OPEN_TAG.lastIndex = lt;
      const m = OPEN_TAG.exec(xml);
      if (!m) throw new XmlError(`a malformed tag at ${lt}`);
      const name = m[1] as string;
      if (!open.length && rooted) throw new XmlError(`a second root element <${name}>`);
      rooted = true;
      on.open(name);
      if (m[2]) on.close(name);
      else open.push(name);
      i = OPEN_TAG.lastIndex;
    }
  }
  if (open.length) throw new XmlError(`<${open.at(-1)}> is not closed`);
  if (!rooted) throw new XmlError('no root element');
}

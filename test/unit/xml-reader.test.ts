import { describe, expect, it } from 'vitest';
import { readXml } from '../../src/core/supervisor/xml-reader.js';

/** The events as one string: open as <a, close as >a, text as its JSON. */
function events(xml: string): string[] {
  const out: string[] = [];
  readXml(xml, {
    open: (name) => out.push(`<${name}`),
    text: (text) => out.push(JSON.stringify(text)),
    close: (name) => out.push(`>${name}`),
  });
  return out;
}

describe('XML reader', () => {
  it('reads elements, text, self-closing tags, and skips the declaration, comments and attributes', () => {
    expect(events("<?xml version='1.0'?>\n<!-- c --><a x=\"1\" y='2'>t<b/><c >u</c ></a>\n")).toEqual([
      '<a',
      '"t"',
      '<b',
      '>b',
      '<c',
      '"u"',
      '>c',
      '>a',
    ]);
  });

  it('decodes entities and character references, keeps CDATA as it is, and ends lines with \\n', () => {
    expect(events('<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;</a>')).toEqual(['<a', '"<>&\\"\'AB😀"', '>a']);
    expect(events('<a><![CDATA[<&>]]></a>')).toEqual(['<a', '"<&>"', '>a']);
    expect(events('<a>1\r\n2\r3&#13;</a>')).toEqual(['<a', '"1\\n2\\n3\\r"', '>a']);
  });

  it('keeps control characters and any Unicode text', () => {
    expect(events('<a>\x1b[31m✓\x07</a>')).toEqual(['<a', JSON.stringify('\x1b[31m✓\x07'), '>a']);
  });

  it('refuses what is not well-formed', () => {
    for (const bad of [
      '',
      'Internal Server Error',
      '<a>',
      '<a></b>',
      '<a><b></a></b>',
      '<a></a><b></b>',
      '<a></a>tail',
      '<a>x & y</a>',
      '<a>&nbsp;</a>',
      '<a>&#0;</a>',
      '<a><!-- open</a>',
      '<a><![CDATA[open</a>',
      '<!DOCTYPE a><a></a>',
      '<a b></a>',
      '< a></a>',
      '</a>',
    ])
      expect(() => events(bad), JSON.stringify(bad)).toThrow();
  });
});

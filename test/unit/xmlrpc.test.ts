import { describe, expect, it } from 'vitest';
import { decodeResponse, encodeCall, RpcFault } from '../../src/core/supervisor/xmlrpc.js';

const wrap = (value: string) =>
  `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value>${value}</value>\n</param>\n</params>\n</methodResponse>\n`;

describe('XML-RPC codec', () => {
  it('decodes a struct as supervisord formats it, with newlines between elements', () => {
    const xml = wrap(
      '<struct>\n<member>\n<name>statecode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>statename</name>\n<value><string>RUNNING</string></value>\n</member>\n</struct>',
    );
    expect(decodeResponse(xml)).toEqual({ statecode: 1, statename: 'RUNNING' });
  });

  it('keeps a string exactly: leading spaces, newlines, entities, multi-byte characters', () => {
    const xml = wrap('<string>  I1105 a &lt;5% &amp; "q"\n\nend ✓ </string>');
    expect(decodeResponse(xml)).toBe('  I1105 a <5% & "q"\n\nend ✓ ');
  });

  it('treats a value without a type as a string, and decodes arrays, booleans, doubles', () => {
    expect(decodeResponse(wrap('plain'))).toBe('plain');
    expect(
      decodeResponse(
        wrap(
          '<array><data>\n<value><boolean>1</boolean></value>\n<value><double>1.5</double></value>\n<value><string></string></value>\n</data></array>',
        ),
      ),
    ).toEqual([true, 1.5, '']);
  });

  it('turns a fault into an RpcFault with code and string', () => {
    const xml =
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>BAD_NAME: nope</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n";
    expect(() => decodeResponse(xml)).toThrow(RpcFault);
    try {
      decodeResponse(xml);
    } catch (error) {
      expect((error as RpcFault).code).toBe(10);
      expect((error as RpcFault).faultString).toBe('BAD_NAME: nope');
    }
  });

  it('rejects what is not an XML-RPC answer', () => {
    expect(() => decodeResponse('<html><body>502</body></html>')).toThrow(/not an XML-RPC answer/);
  });

  it('escapes parameters and round-trips them through the decoder', () => {
    const body = encodeCall('supervisor.startProcess', ['a<b&"c"', 3, true, [1, 'x'], { k: -2 }]);
    expect(body).toContain('<methodName>supervisor.startProcess</methodName>');
    expect(body).toContain('a&lt;b&amp;');
    expect(body).not.toContain('a<b');
    const params = body.replace(/^.*?<params>/s, '').replace(/<\/params>.*$/s, '');
    const asResponse = (v: string) => decodeResponse(`<methodResponse><params>${v}</params></methodResponse>`);
    expect(asResponse(params.match(/<param>.*?<\/param>/s)![0])).toBe('a<b&"c"');
  });
});

import { describe, expect, it } from 'vitest';
import { decodeResponse, encodeCall, RpcFault } from '../../src/core/supervisor/xmlrpc.js';

const wrap = (value: string) =>
  `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value>${value}</value>\n</param>\n</params>\n` +
  `</methodResponse>\n`;

describe('XML-RPC codec', () => {
  it('decodes a struct as supervisord formats it, with newlines between elements', () => {
    const xml = wrap(
      '<struct>\n<member>\n<name>statecode</name>\n<value><int>1</int></value>\n</member>\n<member>\n' +
        '<name>statename</name>\n<value><string>RUNNING</string></value>\n</member>\n</struct>',
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
          '<array><data>\n<value><boolean>1</boolean></value>\n<value><double>1.5</double></value>\n' +
            '<value><string></string></value>\n</data></array>',
        ),
      ),
    ).toEqual([true, 1.5, '']);
  });

  it('turns a fault into an RpcFault with code and string', () => {
    const xml =
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n" +
      '<value><int>10</int></value>\n</member>\n<member>\n<name>faultString</name>\n' +
      '<value><string>BAD_NAME: nope</string></value>\n</member>\n</struct></value>\n</fault>\n' +
      '</methodResponse>\n';
    expect(() => decodeResponse(xml)).toThrow(RpcFault);
    try {
      decodeResponse(xml);
    } catch (error) {
      expect((error as RpcFault).code).toBe(10);
      expect((error as RpcFault).faultString).toBe('BAD_NAME: nope');
    }
  });

  it('rejects what is not an XML-RPC answer, or is cut short, or has a type it does not know', () => {
    expect(() => decodeResponse('<html><body>502</body></html>')).toThrow(/not an XML-RPC answer/);
    expect(() => decodeResponse(wrap('<string>half').slice(0, -40))).toThrow(/not an XML-RPC answer/);
    expect(() => decodeResponse('Internal Server Error')).toThrow(/not an XML-RPC answer/);
    expect(() => decodeResponse(wrap('<int>x</int>'))).toThrow(/not an XML-RPC answer/);
    expect(() => decodeResponse(wrap('<complex>1</complex>'))).toThrow(/unsupported XML-RPC type <complex>/);
  });

  it("keeps a log's control characters, which Python sends as they are though XML 1.0 forbids them", () => {
    expect(decodeResponse(wrap('<string>\x1b[31mE1105 red\x1b[0m\x07</string>'))).toBe('\x1b[31mE1105 red\x1b[0m\x07');
  });

  it('decodes a multicall answer: structs in an array, a fault struct among them, nil and empty values', () => {
    const xml = wrap(
      '<array><data>\n<value><struct><member><name>statename</name><value><string>RUNNING</string></value></member>' +
        '</struct></value>\n<value><struct><member><name>faultCode</name><value><int>10</int></value></member>' +
        '<member><name>faultString</name><value><string>BAD_NAME</string></value></member></struct></value>\n' +
        '<value><array><data></data></array></value>\n<value><struct></struct></value>\n<value><nil/></value>\n' +
        '<value><i8>8589934592</i8></value>\n</data></array>',
    );
    expect(decodeResponse(xml)).toEqual([
      { statename: 'RUNNING' },
      { faultCode: 10, faultString: 'BAD_NAME' },
      [],
      {},
      null,
      8589934592,
    ]);
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

/**
 * XML-RPC encoding and decoding, as supervisord speaks it (Python's xmlrpc.client on the other side).
 *
 * Pure: bytes in, values out. The transport lives in adapters/supervisor-rpc.ts.
 * XML itself is parsed and written by fast-xml-parser; this module only maps XML-RPC's value
 * grammar (`<value><struct><member>…`) onto plain JavaScript values.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export type RpcValue = string | number | boolean | null | RpcValue[] | { [key: string]: RpcValue };

/** A `<fault>` answer: supervisord's faults carry a numeric code (see FaultCode) and a string. */
export class RpcFault extends Error {
  constructor(
    readonly code: number,
    readonly faultString: string,
  ) {
    super(`${faultString} (fault ${code})`);
    this.name = 'RpcFault';
  }
}

/** A non-200 HTTP answer: supervisord answers 500 when a handler raised (e.g. a log range splits a UTF-8 character). */
export class RpcHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RpcHttpError';
  }
}

/** supervisord's fault codes (supervisor/xmlrpc.py `Faults`). */
export const FaultCode = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

const builder = new XMLBuilder({ processEntities: true, suppressEmptyNode: false });

function encodeValue(value: RpcValue): unknown {
  if (value === null) return { nil: '' };
  if (typeof value === 'string') return { string: value };
  if (typeof value === 'boolean') return { boolean: value ? '1' : '0' };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { int: String(value) } : { double: String(value) };
  }
  if (Array.isArray(value)) {
    return { array: { data: { value: value.map(encodeValue) } } };
  }
  return {
    struct: {
      member: Object.entries(value).map(([name, v]) => ({ name, value: encodeValue(v) })),
    },
  };
}

/** The body of a `methodCall` request. */
export function encodeCall(method: string, params: readonly RpcValue[]): string {
  const body = builder.build({
    methodCall: {
      methodName: method,
      params: { param: params.map((p) => ({ value: encodeValue(p) })) },
    },
  }) as string;
  return `<?xml version="1.0"?>\n${body}`;
}

// preserveOrder keeps every element as `{tag: children[]}` so that strings keep their exact text
// (trimValues: false) and nothing is guessed about types (parseTagValue: false).
const parser = new XMLParser({
  preserveOrder: true,
  trimValues: false,
  parseTagValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  processEntities: true,
  htmlEntities: false,
});

type Node = Record<string, unknown>;

function tagOf(node: Node): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

/** Child elements, whitespace text between elements dropped. */
function elements(children: unknown): Node[] {
  if (!Array.isArray(children)) return [];
  return (children as Node[]).filter((n) => tagOf(n) !== '#text');
}

function textOf(children: unknown): string {
  if (!Array.isArray(children)) return '';
  return (children as Node[]).map((n) => (tagOf(n) === '#text' ? String(n['#text']) : '')).join('');
}

function child(node: Node, tag: string): Node | undefined {
  return elements(node[tagOf(node) as string]).find((n) => tagOf(n) === tag);
}

function decodeValue(valueNode: Node): RpcValue {
  const inner = valueNode.value;
  const typed = elements(inner)[0];
  // A <value> with no type element is a string (XML-RPC spec).
  if (!typed) return textOf(inner);
  const tag = tagOf(typed) as string;
  const content = typed[tag];
  switch (tag) {
    case 'string':
      return textOf(content);
    case 'int':
    case 'i4':
    case 'i8':
      return Number.parseInt(textOf(content).trim(), 10);
    case 'double':
      return Number.parseFloat(textOf(content).trim());
    case 'boolean':
      return textOf(content).trim() === '1';
    case 'nil':
      return null;
    case 'dateTime.iso8601':
    case 'base64':
      return textOf(content).trim();
    case 'array': {
      const data = elements(content).find((n) => tagOf(n) === 'data');
      return data ? elements(data.data).map(decodeValue) : [];
    }
    case 'struct': {
      const out: Record<string, RpcValue> = {};
      for (const member of elements(content)) {
        const name = elements(member.member).find((n) => tagOf(n) === 'name');
        const value = elements(member.member).find((n) => tagOf(n) === 'value');
        if (name && value) out[textOf(name.name)] = decodeValue(value);
      }
      return out;
    }
    default:
      throw new Error(`unsupported XML-RPC type <${tag}>`);
  }
}

/** Decode a `methodResponse`; throws RpcFault for a fault, Error for anything that is not XML-RPC. */
export function decodeResponse(xml: string): RpcValue {
  let doc: Node[];
  try {
    doc = parser.parse(xml) as Node[];
  } catch (error) {
    throw new Error(`not an XML-RPC answer: ${(error as Error).message}`);
  }
  const response = elements(doc).find((n) => tagOf(n) === 'methodResponse');
  if (!response) throw new Error('not an XML-RPC answer: no <methodResponse>');
  const fault = child(response, 'fault');
  if (fault) {
    const valueNode = elements(fault.fault).find((n) => tagOf(n) === 'value');
    const detail = valueNode ? decodeValue(valueNode) : {};
    const struct = (detail ?? {}) as Record<string, RpcValue>;
    throw new RpcFault(Number(struct.faultCode ?? 0), String(struct.faultString ?? 'unknown fault'));
  }
  const params = child(response, 'params');
  const param = params ? elements(params.params).find((n) => tagOf(n) === 'param') : undefined;
  const valueNode = param ? elements(param.param).find((n) => tagOf(n) === 'value') : undefined;
  if (!valueNode) throw new Error('not an XML-RPC answer: no return value');
  return decodeValue(valueNode);
}

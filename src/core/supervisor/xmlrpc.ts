/**
 * XML-RPC encoding and decoding, as supervisord speaks it (Python's xmlrpc.client on the other side).
 *
 * Pure: bytes in, values out. The transport lives in adapters/supervisor-rpc.ts.
 * XML is read in one strict pass (xml-reader.ts): XML-RPC's value grammar (`<value><struct><member>…`) is
 * mapped onto plain values as the tags go by, with no document tree between (the monitor decodes an answer
 * several times a second; a tree parser cost 5x the CPU). Requests are written the way Python's own
 * xmlrpc.client writes them: fixed tags around escaped text.
 */
import { BugError, ExternalFailure } from '../errors.js';
import type { RpcValue } from '../host.js';
import { readXml } from './xml-reader.js';

export type { RpcValue };

/** A `<fault>` answer: supervisord's faults carry a numeric code (see FaultCode) and a string. */
export class RpcFault extends ExternalFailure {
  constructor(
    readonly code: number,
    readonly faultString: string,
  ) {
    super(`${faultString} (fault ${code})`, { service: 'supervisord' });
    this.name = 'RpcFault';
  }
}

/** A non-200 HTTP answer: supervisord answers 500 when a handler raised (e.g. a log range splits UTF-8). */
export class RpcHttpError extends ExternalFailure {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message, { service: 'supervisord' });
    this.name = 'RpcHttpError';
  }
}

/** An answer that is not XML-RPC: the service on the other end is not (or not wholly) supervisord. */
export class NotXmlRpc extends ExternalFailure {
  constructor(message: string) {
    super(message, { service: 'supervisord' });
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

/** Text as element content: the three characters XML gives meaning to (what xmlrpc.client's escape() does). */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function encodeValue(value: RpcValue): string {
  if (value === null) return '<value><nil/></value>';
  if (typeof value === 'string') return `<value><string>${escapeText(value)}</string></value>`;
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new BugError(`XML-RPC cannot carry ${value}`);
    return Number.isInteger(value) ? `<value><int>${value}</int></value>` : `<value><double>${value}</double></value>`;
  }
  if (Array.isArray(value)) return `<value><array><data>${value.map(encodeValue).join('')}</data></array></value>`;
  const members = Object.entries(value).map(
    ([name, v]) => `<member><name>${escapeText(name)}</name>${encodeValue(v)}</member>`,
  );
  return `<value><struct>${members.join('')}</struct></value>`;
}

/** The body of a `methodCall` request. */
export function encodeCall(method: string, params: readonly RpcValue[]): string {
  const encoded = params.map((p) => `<param>${encodeValue(p)}</param>`).join('');
  const name = `<methodName>${escapeText(method)}</methodName>`;
  return `<?xml version="1.0"?>\n<methodCall>${name}<params>${encoded}</params></methodCall>`;
}

/** An element being read: its text so far, and what its children gave it. */
interface Frame {
  readonly tag: string;
  text: string;
  /** Set by a typed child of <value>, a <value> of <member>/<param>/<fault>, or the <data> of an <array>. */
  value?: RpcValue;
  typed?: boolean;
  items?: RpcValue[];
  members?: Record<string, RpcValue>;
  name?: string;
}

const SCALARS: Record<string, (text: string) => RpcValue> = {
  string: (t) => t,
  int: (t) => integer(t),
  i4: (t) => integer(t),
  i8: (t) => integer(t),
  double: (t) => {
    const n = Number.parseFloat(t.trim());
    if (Number.isNaN(n)) throw new NotXmlRpc(`not an XML-RPC answer: <double>${t}</double>`);
    return n;
  },
  boolean: (t) => t.trim() === '1',
  nil: () => null,
  'dateTime.iso8601': (t) => t.trim(),
  base64: (t) => t.trim(),
};

function integer(text: string): number {
  const n = Number.parseInt(text.trim(), 10);
  if (Number.isNaN(n)) throw new NotXmlRpc(`not an XML-RPC answer: <int>${text}</int>`);
  return n;
}

/** What a closed element gives the element around it. */
function close(frame: Frame, parent: Frame | undefined): void {
  if (!parent) return;
  const scalar = SCALARS[frame.tag];
  if (scalar) {
    parent.value = scalar(frame.text);
    parent.typed = true;
    return;
  }
  switch (frame.tag) {
    case 'value': {
      // A <value> with no type element is a string (XML-RPC spec).
      const v = frame.typed ? (frame.value as RpcValue) : frame.text;
      if (parent.tag === 'data') parent.items?.push(v);
      else parent.value = v;
      return;
    }
    case 'data':
      parent.items = frame.items ?? [];
      return;
    case 'array':
      parent.value = frame.items ?? [];
      parent.typed = true;
      return;
    case 'struct':
      parent.value = frame.members ?? {};
      parent.typed = true;
      return;
    case 'name':
      parent.name = frame.text;
      return;
    case 'member':
      if (frame.name !== undefined && frame.value !== undefined && parent.members)
        parent.members[frame.name] = frame.value;
      return;
    case 'param':
    case 'params':
    case 'fault':
      if (frame.value !== undefined) parent.value = frame.value;
      parent.name = frame.tag;
      return;
    default:
      if (parent.tag === 'value') throw new NotXmlRpc(`unsupported XML-RPC type <${frame.tag}>`);
  }
}

/** Decode a `methodResponse`; throws RpcFault for a fault, Error for anything that is not XML-RPC. */
export function decodeResponse(xml: string): RpcValue {
  const stack: Frame[] = [];
  let root: Frame | undefined;
  try {
    readXml(xml, {
      open(tag) {
        const frame: Frame = { tag, text: '' };
        if (tag === 'data') frame.items = [];
        if (tag === 'struct') frame.members = {};
        if (stack.length === 0) root = frame;
        stack.push(frame);
      },
      text(text) {
        const top = stack.at(-1);
        if (top) top.text += text;
      },
      close() {
        const frame = stack.pop() as Frame;
        close(frame, stack.at(-1));
      },
    });
  } catch (error) {
    const message = (error as Error).message;
    throw new NotXmlRpc(message.startsWith('not an XML-RPC') ? message : `not an XML-RPC answer: ${message}`);
  }
  if (root?.tag !== 'methodResponse') throw new NotXmlRpc('not an XML-RPC answer: no <methodResponse>');
  if (root.name === 'fault') {
    const struct = (root.value ?? {}) as Record<string, RpcValue>;
    throw new RpcFault(Number(struct.faultCode ?? 0), String(struct.faultString ?? 'unknown fault'));
  }
  if (root.name !== 'params' || root.value === undefined) throw new NotXmlRpc('not an XML-RPC answer: no return value');
  return root.value;
}

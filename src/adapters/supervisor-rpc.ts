/**
 * supervisord's XML-RPC over its unix socket or TCP port: one persistent HTTP/1.1 connection,
 * the way supervisorctl's SupervisorTransport talks to it. Basic auth when the config sets a username.
 */
import { ExternalFailure } from '../core/errors.js';
import type { ConnectOptions, SupervisorConnection } from '../core/host.js';
import { decodeResponse, encodeCall, RpcHttpError, type RpcValue } from '../core/supervisor/xmlrpc.js';
import { createHttpClient } from './http-client.js';

/** A failure to reach supervisord at all, as opposed to a fault it answered with. */
export class SupervisorUnreachable extends ExternalFailure {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message, { service: 'supervisord' });
    this.name = 'SupervisorUnreachable';
  }
}

function describeSocketError(error: NodeJS.ErrnoException, where: string): string {
  switch (error.code) {
    case 'ENOENT':
      return `no supervisord socket at ${where} (is supervisord running, and is this the right config?)`;
    case 'ECONNREFUSED':
      return `supervisord is not listening at ${where}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${where} (run as root)`;
    case 'ENOTSOCK':
      return `${where} is not a socket`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `supervisord closed the connection at ${where}`;
    default:
      return `cannot reach supervisord at ${where}: ${error.message}`;
  }
}

export function createRpcTransport(options: ConnectOptions): SupervisorConnection & { readonly where: string } {
  const url = options.url;
  let target: { socketPath?: string; host?: string; port?: number; basePath: string };
  let where: string;
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    target = { socketPath, basePath: '' };
    where = socketPath;
  } else if (/^https?:\/\//.test(url)) {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:') throw new SupervisorUnreachable(`https is not supported by supervisord: ${url}`);
    target = { host: parsed.hostname, port: Number(parsed.port || 80), basePath: parsed.pathname.replace(/\/$/, '') };
    where = `${parsed.hostname}:${parsed.port || 80}`;
  } else {
    throw new SupervisorUnreachable(`not a supervisord URL (unix:///path or http://host:port): ${url}`);
  }
  const client = createHttpClient(target);
  const auth =
    options.username !== undefined
      ? `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`
      : undefined;

  async function call(
    method: string,
    params: readonly RpcValue[] = [],
    timeoutMs = options.timeoutMs ?? 10_000,
  ): Promise<RpcValue> {
    let answer: { status: number; body: string };
    try {
      answer = await client.request({
        method: 'POST',
        path: `${target.basePath}/RPC2`,
        headers: {
          // supervisorctl sends Host: localhost over the unix socket.
          Host: 'localhost',
          'Content-Type': 'text/xml',
          ...(auth ? { Authorization: auth } : {}),
        },
        body: Buffer.from(encodeCall(method, params), 'utf8'),
        timeoutMs,
      });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const message =
        e.code === 'ETIMEDOUT'
          ? `supervisord at ${where} did not answer ${method} within ${Math.round(timeoutMs / 1000)} s`
          : describeSocketError(e, where);
      throw new SupervisorUnreachable(message, e.code);
    }
    if (answer.status === 401)
      throw new SupervisorUnreachable(`supervisord at ${where} refused the credentials (HTTP 401)`, 'EAUTH');
    if (answer.status !== 200)
      throw new RpcHttpError(answer.status, `supervisord at ${where} answered HTTP ${answer.status} to ${method}`);
    return decodeResponse(answer.body);
  }

  return { call, where, close: () => client.close() };
}

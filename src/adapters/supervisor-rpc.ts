/**
 * supervisord's XML-RPC over its unix socket or TCP port: one persistent HTTP/1.1 connection,
 * the way supervisorctl's SupervisorTransport talks to it. Basic auth when the config sets a username.
 */
import http from 'node:http';
import { ExternalFailure } from '../core/errors.js';
import type { ConnectOptions, SupervisorConnection } from '../core/host.js';
import { decodeResponse, encodeCall, RpcHttpError, type RpcValue } from '../core/supervisor/xmlrpc.js';

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
  // One socket, kept open between calls: a poll every 250 ms must not cost a connect each time.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const auth =
    options.username !== undefined
      ? `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`
      : undefined;

  function call(
    method: string,
    params: readonly RpcValue[] = [],
    timeoutMs = options.timeoutMs ?? 10_000,
  ): Promise<RpcValue> {
    const body = Buffer.from(encodeCall(method, params), 'utf8');
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          // No TLS here, so no server name: without this the agent asks net.isIP("localhost"), whose IPv6
          // pattern costs ~5 ms to compile on the first request of every start. (Read by http.Agent; not in
          // @types/node's RequestOptions.)
          ...({ servername: '' } as http.RequestOptions),
          ...(target.socketPath ? { socketPath: target.socketPath } : { host: target.host, port: target.port }),
          path: `${target.basePath}/RPC2`,
          method: 'POST',
          headers: {
            // supervisorctl sends Host: localhost over the unix socket.
            Host: 'localhost',
            'Content-Type': 'text/xml',
            'Content-Length': body.length,
            ...(auth ? { Authorization: auth } : {}),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) =>
            reject(new SupervisorUnreachable(describeSocketError(e, where), (e as NodeJS.ErrnoException).code)),
          );
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 401) {
              reject(new SupervisorUnreachable(`supervisord at ${where} refused the credentials (HTTP 401)`, 'EAUTH'));
              return;
            }
            if (res.statusCode !== 200) {
              reject(
                new RpcHttpError(
                  res.statusCode ?? 0,
                  `supervisord at ${where} answered HTTP ${res.statusCode} to ${method}`,
                ),
              );
              return;
            }
            try {
              resolve(decodeResponse(text));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('timeout', () => {
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        const message =
          e.code === 'ETIMEDOUT'
            ? `supervisord at ${where} did not answer ${method} within ${Math.round(timeoutMs / 1000)} s`
            : describeSocketError(e, where);
        reject(new SupervisorUnreachable(message, e.code));
      });
      req.end(body);
    });
  }

  return { call, where, close: () => agent.destroy() };
}

/**
 * One HTTP/1.1 exchange with a server on a unix socket or a TCP port, over one kept-alive connection: what
 * supervisord's XML-RPC (supervisor-rpc.ts) and the health probes (http-probe.ts) send. This is node:http's;
 * the single file is built with http-client-bun.ts in its place (scripts/build-standalone.mjs): under Bun,
 * node:http costs a start ~15 ms (its load and first request), Bun's own fetch almost nothing.
 * Failures reject with an Error whose `code` is the errno name (ENOENT, ECONNREFUSED...), ETIMEDOUT for
 * a server that did not answer in time.
 */
import http from 'node:http';

export interface HttpTarget {
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: number;
}

export interface HttpAsk {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly timeoutMs: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export interface HttpClient {
  request(ask: HttpAsk): Promise<HttpAnswer>;
  close(): void;
}

export function createHttpClient(target: HttpTarget): HttpClient {
  // One socket, kept open between calls: a poll every 250 ms must not cost a connect each time.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    request: (ask) =>
      new Promise((resolve, reject) => {
        const req = http.request(
          {
            agent,
            // No TLS here, so no server name: without this the agent asks net.isIP("localhost"), whose IPv6
            // pattern costs ~5 ms to compile on the first request of every start. (Read by http.Agent; not in
            // @types/node's RequestOptions.)
            ...({ servername: '' } as http.RequestOptions),
            ...(target.socketPath ? { socketPath: target.socketPath } : { host: target.host, port: target.port }),
            path: ask.path,
            method: ask.method,
            headers: { ...ask.headers, ...(ask.body ? { 'Content-Length': ask.body.length } : {}) },
            timeout: ask.timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          },
        );
        req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        req.on('error', reject);
        req.end(ask.body);
      }),
    close: () => agent.destroy(),
  };
}

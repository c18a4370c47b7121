/** Health probes: HTTP GET with a deadline (kubelet's /healthz, etcd's /health over TLS), a unix socket connect. */
import type http from 'node:http';
import type https from 'node:https';
import type { HttpProbe, HttpProbeResult, TlsClient } from '../core/host.js';
import { createHttpClient, type HttpClient } from './http-client.js';

/** A body that says healthy: kubelet's `ok`, etcd's `{"health":"true"}`. */
function healthyBody(body: string): boolean {
  const t = body.trim();
  if (t === 'ok') return true;
  try {
    const health = (JSON.parse(t) as { health?: unknown }).health;
    return health === 'true' || health === true;
  } catch {
    return false;
  }
}

export function createHttpProbe(): HttpProbe {
  // One connection kept between probes (every 2 s in the monitor) to each server: a connect and a close each
  // time cost more than the request. A kubelet that died closes it; the next probe connects afresh.
  const clients = new Map<string, HttpClient>();
  const plainGet = async (url: string, timeoutMs: number, started: number): Promise<HttpProbeResult> => {
    const parsed = new URL(url);
    let client = clients.get(parsed.host);
    if (!client) {
      client = createHttpClient({ host: parsed.hostname, port: Number(parsed.port || 80) });
      clients.set(parsed.host, client);
    }
    try {
      const answer = await client.request({ method: 'GET', path: parsed.pathname + parsed.search, timeoutMs });
      const body = answer.body.slice(0, 4096);
      return {
        ok: answer.status === 200 && healthyBody(body),
        status: answer.status,
        body: body.slice(0, 200),
        latencyMs: performance.now() - started,
      };
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const why =
        e.code === 'ETIMEDOUT'
          ? `no answer within ${timeoutMs} ms`
          : e.code === 'ECONNREFUSED'
            ? 'connection refused'
            : e.message;
      return { ok: false, latencyMs: performance.now() - started, error: why };
    }
  };
  const tlsAgents = new Map<string, https.Agent>();
  // node:https (and TLS under it) loaded only for a TLS probe (etcd's): kubelet's healthz is plain HTTP, and
  // loading TLS costs every `status` a few ms of its start.
  let httpsModule: Promise<typeof https> | null = null;
  const tlsAgent = (lib: typeof https, tls: TlsClient) => {
    const key = [tls.cert, tls.key, tls.ca].map((b) => b?.toString('base64').slice(-32) ?? '').join('|');
    let a = tlsAgents.get(key);
    if (!a) {
      a = new lib.Agent({ keepAlive: true, maxSockets: 1, cert: tls.cert, key: tls.key, ca: tls.ca });
      tlsAgents.set(key, a);
    }
    return a;
  };
  return {
    async get(url, timeoutMs, tls) {
      const started = performance.now();
      if (!url.startsWith('https:')) return plainGet(url, timeoutMs, started);
      httpsModule ??= import('node:https').then((m) => m.default);
      const lib = await httpsModule;
      return new Promise((resolve) => {
        const onResponse = (res: http.IncomingMessage) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (body.length < 4096) body += c;
          });
          res.on('end', () =>
            resolve({
              ok: res.statusCode === 200 && healthyBody(body),
              status: res.statusCode ?? 0,
              body: body.slice(0, 200),
              latencyMs: performance.now() - started,
            }),
          );
        };
        const req = lib.get(url, { timeout: timeoutMs, agent: tlsAgent(lib, tls ?? {}) }, onResponse);
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', (e: NodeJS.ErrnoException) =>
          resolve({
            ok: false,
            latencyMs: performance.now() - started,
            error: e.code === 'ECONNREFUSED' ? 'connection refused' : e.message,
          }),
        );
      });
    },
    async connect(socketPath, timeoutMs) {
      const started = performance.now();
      // node:net loaded only for a socket probe (a moved service's): Bun's costs every start ~4 ms.
      const net = await import('node:net');
      return new Promise<HttpProbeResult>((resolve) => {
        const socket = net.connect({ path: socketPath });
        const done = (r: Omit<HttpProbeResult, 'latencyMs'>) => {
          socket.destroy();
          resolve({ ...r, latencyMs: performance.now() - started });
        };
        socket.setTimeout(timeoutMs, () => done({ ok: false, error: `no answer within ${timeoutMs} ms` }));
        socket.on('connect', () => done({ ok: true }));
        socket.on('error', (e: NodeJS.ErrnoException) =>
          // Reset after the accept (a server that closes at once; Bun reports it before 'connect'): it listens.
          e.code === 'ECONNRESET' || e.code === 'EPIPE'
            ? done({ ok: true })
            : done({
                ok: false,
                error:
                  e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOENT' ? 'no such socket' : e.message,
              }),
        );
      });
    },
  };
}

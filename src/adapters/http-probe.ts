/** Plain HTTP GET with a deadline, for kubelet's /healthz. */
import http from 'node:http';
import type { HttpProbe } from '../core/host.js';

export function createHttpProbe(): HttpProbe {
  // One connection kept between probes (every 2 s in the monitor): a connect and a close each time cost
  // more than the request. A kubelet that died closes it; the next probe connects afresh.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get(url, timeoutMs) {
      const started = performance.now();
      return new Promise((resolve) => {
        const req = http.get(url, { timeout: timeoutMs, agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (body.length < 4096) body += c;
          });
          res.on('end', () =>
            resolve({
              ok: res.statusCode === 200 && body.trim() === 'ok',
              status: res.statusCode ?? 0,
              body: body.slice(0, 200),
              latencyMs: performance.now() - started,
            }),
          );
        });
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
  };
}

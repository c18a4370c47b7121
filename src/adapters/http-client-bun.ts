/**
 * http-client.ts for the single file, through Bun's own fetch (scripts/build-standalone.mjs puts it in
 * http-client.ts's place): the same exchanges, and failures with the same codes.
 */
import type { HttpAnswer, HttpAsk, HttpClient, HttpTarget } from './http-client.js';

export type { HttpAnswer, HttpAsk, HttpClient, HttpTarget };

export function createHttpClient(target: HttpTarget): HttpClient {
  const origin = target.socketPath ? 'http://localhost' : `http://${target.host}:${target.port}`;
  return {
    async request(ask: HttpAsk): Promise<HttpAnswer> {
      try {
        // Bun keeps the connection for the next request itself; `unix` is Bun's (not in the DOM's RequestInit).
        const res = await fetch(`${origin}${ask.path}`, {
          method: ask.method,
          headers: { ...ask.headers },
          ...(ask.body ? { body: ask.body } : {}),
          signal: AbortSignal.timeout(ask.timeoutMs),
          ...(target.socketPath ? { unix: target.socketPath } : {}),
        } as RequestInit);
        return { status: res.status, body: await res.text() };
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'TimeoutError' || name === 'AbortError')
          throw Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
        throw error;
      }
    },
    close() {},
  };
}

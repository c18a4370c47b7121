// The health probe against real endpoints on this machine's loopback: etcd's /health over TLS with a client
// certificate (as KubeKey's etcd requires), and a unix socket.
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpProbe } from '../../src/adapters/http-probe.js';
import { probeHealth } from '../../src/core/health/probe.js';
import type { Host } from '../../src/core/host.js';
import { memoryFiles } from '../helpers/fake-host/index.js';

const TLS = path.join(import.meta.dirname, '../fixtures/tls');
const pem = (name: string) => fs.readFileSync(path.join(TLS, name), 'utf8');

/** A host whose files hold the certificates where etcd's env file says, and the real probe. */
const hostWith = (files: Record<string, string>) =>
  ({ files: memoryFiles(files), http: createHttpProbe() }) as unknown as Host;

describe('etcd /health over TLS, client certificate required', () => {
  let server: https.Server;
  let url = '';
  beforeAll(async () => {
    server = https.createServer(
      {
        cert: pem('server.pem'),
        key: pem('server-key.pem'),
        ca: pem('ca.pem'),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
        res.end(req.url === '/health' ? '{"health":"true","reason":""}' : '');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}/health`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const files = {
    '/etc/ssl/etcd/ssl/admin-node4.pem': pem('client.pem'),
    '/etc/ssl/etcd/ssl/admin-node4-key.pem': pem('client-key.pem'),
    '/etc/ssl/etcd/ssl/ca.pem': pem('ca.pem'),
  };

  it('with its certificate, key and CA read from the node: healthy', async () => {
    const r = await probeHealth(
      hostWith(files),
      {
        kind: 'http',
        url,
        tls: {
          cert: '/etc/ssl/etcd/ssl/admin-node4.pem',
          key: '/etc/ssl/etcd/ssl/admin-node4-key.pem',
          ca: '/etc/ssl/etcd/ssl/ca.pem',
        },
      },
      2000,
    );
    expect(r).toEqual({ ok: true, detail: 'ok' });
  });

  it('without the client certificate: not healthy, and why', async () => {
    const r = await probeHealth(
      hostWith(files),
      { kind: 'http', url, tls: { cert: null, key: null, ca: '/etc/ssl/etcd/ssl/ca.pem' } },
      2000,
    );
    expect(r.ok).toBe(false);
    expect(r.detail).not.toBe('');
  });
});

describe('a unix socket', () => {
  it('accepts: healthy; gone: "no such socket"', async () => {
    const sock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-probe-')), 'containerd.sock');
    const server = net.createServer((c) => c.end());
    await new Promise<void>((r) => server.listen(sock, r));
    const host = hostWith({});
    expect(await probeHealth(host, { kind: 'socket', path: sock }, 1000)).toEqual({
      ok: true,
      detail: 'accepts connections',
    });
    await new Promise<void>((r) => server.close(() => r()));
    expect(await probeHealth(host, { kind: 'socket', path: sock }, 1000)).toEqual({
      ok: false,
      detail: 'no such socket',
    });
  });
});

#!/usr/bin/env node
// A loaded node's supervisord, for tests: a unix socket in front of the real one that holds every answer
// back 100-500 ms (in order). Usage: slow-proxy.mjs LISTEN_SOCKET TARGET_SOCKET [MIN_MS MAX_MS]
import fs from 'node:fs';
import net from 'node:net';

const [listen, target, min = '100', max = '500'] = process.argv.slice(2);
const delay = () => Number(min) + Math.random() * (Number(max) - Number(min));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

fs.rmSync(listen, { force: true });
net
  .createServer((client) => {
    const upstream = net.connect(target);
    let chain = Promise.resolve();
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      chain = chain.then(() => sleep(delay())).then(() => client.write(d));
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    client.on('error', close);
    upstream.on('close', () => void chain.then(close));
    upstream.on('error', close);
  })
  .listen(listen);

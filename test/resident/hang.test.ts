// A daemon that lives but hangs: ended by the sd_notify watchdog (no WATCHDOG=1 for the timeout) or by the
// healthz probe (failures in a row, never within the grace after a start), SIGKILL after the kill grace when it
// ignores the first signal; and a healthy daemon is never touched.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun } from '../helpers/with-test-node.js';
import { KUBELET, missingRelease, RELEASES, type Release, SupervisorNode, waitFor } from './helpers.js';

/** Skipped, saying why, where supervisord `release` cannot run here. */
const skipped = (release: Release) => cannotRun(`the hang tests on supervisord ${release}`, missingRelease(release));
const SEND =
  'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(sys.argv[2].encode(), sys.argv[1])';
const pings = (node: SupervisorNode) =>
  node
    .read('kubelet.log')
    .split('\n')
    .filter((l) => l === 'ping').length;

describe.each(RELEASES)('the watchdog on supervisord %s', (release) => {
  const skip = skipped(release);
  const timeout = 2;
  const grace = 2;
  let node: SupervisorNode;
  beforeAll(async () => {
    if (!skip)
      node = await SupervisorNode.start({
        release,
        program: { watchdogSec: timeout, killGrace: grace, stubborn: true },
      });
  });
  afterAll(async () => {
    await node?.down();
  });

  it.skipIf(skip)('never ends a daemon that pings, over five timeouts', async () => {
    const pid = node.current();
    const before = pings(node);
    const written = fs.statSync(path.join(node.textfile, 'kubesup.prom')).mtimeMs;
    // A ping every half timeout: ten more pings are five timeouts.
    await waitFor(() => pings(node) >= before + 10, 'ten more pings', 30_000);
    expect(node.current()).toBe(pid);
    // Nothing changed, so the metrics file was not rewritten: pings are not state changes.
    expect(fs.statSync(path.join(node.textfile, 'kubesup.prom')).mtimeMs).toBe(written);
    expect(node.state()?.history ?? []).toEqual([]);
    expect(node.metric('kubesup_watchdog_timeout_seconds', '{name="kubelet"}')).toBe(timeout);
  });

  it.skipIf(skip)('ends a hung daemon within timeout + grace: SIGABRT, then SIGKILL when ignored', async () => {
    const pid = node.current() ?? 0;
    fs.writeFileSync(node.hangFile, String(pid));
    await waitFor(() => node.restarts('hung_watchdog') === 1, 'the watchdog', (timeout + grace + 3) * 1000);
    expect(node.state()?.history.at(-1)).toMatchObject({ pid, reason: 'hung_watchdog', signal: 'SIGKILL' });
    expect(node.state()?.history.at(-1)?.detail).toContain(`no WATCHDOG=1 for ${timeout}s (pid ${pid})`);
    expect(node.read('agent.log')).toContain('signal 6, SIGKILL in 2s');
    // The next daemon pings again and stays.
    const next = await waitFor(() => node.current() !== pid && node.current(), 'the next stand-in');
    const before = pings(node);
    await waitFor(() => pings(node) >= before + 6, 'six pings of the next stand-in', 30_000);
    expect(node.current()).toBe(next);
    expect(node.restarts('hung_watchdog')).toBe(1);
  });

  it.skipIf(skip)('takes WATCHDOG_USEC= from the daemon, and WATCHDOG=trigger as a hang', async () => {
    const pid = await waitFor(() => node.current(), 'the stand-in');
    await waitFor(() => node.metric('node_supervisord_state', KUBELET) === 20, 'RUNNING');
    const socket = path.join(node.dir, 'run/notify/kubelet');
    const send = (message: string) => spawnSync('python3', ['-c', SEND, socket, message], { encoding: 'utf8' }).stderr;
    expect(send('WATCHDOG_USEC=20000000')).toBe('');
    await waitFor(() => node.metric('kubesup_watchdog_timeout_seconds', '{name="kubelet"}') === 20, 'a 20 s timeout');
    expect(send('WATCHDOG=trigger')).toBe('');
    await waitFor(() => node.restarts('hung_watchdog') === 2, 'the trigger ending it', (grace + 3) * 1000);
    expect(node.state()?.history.at(-1)).toMatchObject({ pid, reason: 'hung_watchdog' });
    expect(node.state()?.history.at(-1)?.detail).toContain('WATCHDOG=trigger');
    // The next run starts from the configured timeout again, as under systemd.
    await waitFor(() => node.metric('kubesup_watchdog_timeout_seconds', '{name="kubelet"}') === timeout, 'reset');
  });
});

describe.each(RELEASES)('the healthz probe on supervisord %s', (release) => {
  const skip = skipped(release);
  const healthz = { interval: 0.5, timeout: 0.5, failures: 3, grace: 1 };
  let node: SupervisorNode;
  beforeAll(async () => {
    if (!skip) node = await SupervisorNode.start({ release, program: { healthz, killGrace: 1, stubborn: true } });
  });
  afterAll(async () => {
    await node?.down();
  });

  it.skipIf(skip)(
    'ends a daemon that stops answering, after failures in a row; SIGKILL when SIGTERM is ignored',
    async () => {
      await waitFor(() => node.metric('kubesup_healthz_up', '{name="kubelet"}') === 1, 'healthz up');
      const pid = node.current() ?? 0;
      fs.writeFileSync(node.hangFile, String(pid));
      await waitFor(() => node.metric('kubesup_healthz_up', '{name="kubelet"}') === 0, 'healthz down');
      await waitFor(() => node.restarts('hung_healthz') === 1, 'the probe ending it', 10_000);
      const last = node.state()?.history.at(-1);
      expect(last).toMatchObject({ pid, reason: 'hung_healthz', signal: 'SIGKILL' });
      expect(last?.detail).toContain('healthz: 3 failures in a row, last: no answer');
      await waitFor(() => node.metric('kubesup_healthz_up', '{name="kubelet"}') === 1, 'the next one healthy');
      expect(node.metric('node_supervisord_state', KUBELET)).toBe(20);
      expect(node.restarts('crashed')).toBe(0);
    },
  );
});

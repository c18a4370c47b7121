// A Type=notify daemon under the agent: its READY=1 (sent while supervisord still calls it STARTING) marks it
// started in <run>/ready/<program>; a start with no READY=1 within start_timeout_sec is failed as systemd fails
// it (SIGTERM, counted as hung_watchdog "start: ...") and supervisord starts it again; another process's
// READY=1 does not speak for it under NotifyAccess=main where the agent can tell the sender (Python 3).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun } from '../helpers/with-test-node.js';
import { missingRelease, RELEASES, SupervisorNode, waitFor } from './helpers.js';

const SEND =
  'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(sys.argv[2].encode(), sys.argv[1])';

describe.each(RELEASES)('READY=1 on supervisord %s', (release) => {
  const skip = cannotRun(`the notify tests on supervisord ${release}`, missingRelease(release));
  const startTimeout = 2;
  let node: SupervisorNode;
  beforeAll(async () => {
    if (!skip)
      node = await SupervisorNode.start({
        release,
        program: { notify: { access: 'main', startTimeoutSec: startTimeout }, killGrace: 1 },
      });
  });
  afterAll(async () => {
    await node?.down();
  });
  /** The agent's ready file: the pid that said READY=1, or undefined. */
  const readyPid = () => {
    const file = path.join(node.dir, 'run/ready/kubelet');
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number }).pid : undefined;
  };
  /** The stand-in's next start, silent (hung from its start: no READY=1). */
  const silentRestart = async (before: number | undefined) => {
    fs.writeFileSync(node.hangFile, '');
    node.ctl('restart', 'kubelet');
    return waitFor(() => node.current() !== before && node.current(), 'the next stand-in');
  };

  it.skipIf(skip)('READY=1 marks the daemon started: the ready file holds its pid', async () => {
    const pid = await waitFor(() => node.current(), 'the stand-in');
    await waitFor(() => readyPid() === pid, 'its READY=1 recorded');
    expect(node.read('agent.log')).not.toContain('start: no READY=1');
  });

  it.skipIf(skip)('no READY=1 within the timeout: SIGTERM, counted, started again; then READY=1 holds', async () => {
    const silent = await silentRestart(node.current());
    // Its start took the previous run's file away.
    expect(readyPid()).not.toBe(silent);
    await waitFor(() => (node.restarts('hung_watchdog') ?? 0) >= 1, 'the start timeout', (startTimeout + 5) * 1000);
    const failed = node.state()?.history.find((e) => e.reason === 'hung_watchdog');
    expect(failed).toMatchObject({ pid: silent, signal: 'SIGTERM' });
    expect(failed?.detail).toContain(`start: no READY=1 within TimeoutStartSec=${startTimeout}s (pid ${silent})`);
    fs.rmSync(node.hangFile);
    const next = await waitFor(() => {
      const pid = node.current();
      return pid !== undefined && readyPid() === pid && pid;
    }, 'a start that said READY=1');
    const counted = node.restarts('hung_watchdog');
    // Twice the timeout later it still runs: READY=1 ended the start's clock.
    await waitFor(() => Date.now() >= (node.starts().at(-1)?.time ?? 0) * 1000 + 2 * startTimeout * 1000, 'time');
    expect(node.current()).toBe(next);
    expect(node.restarts('hung_watchdog')).toBe(counted);
  });

  it.skipIf(skip)("another process's READY=1: ignored on Python 3 (NotifyAccess=main); 2.7 cannot tell", async () => {
    const counted = node.restarts('hung_watchdog') ?? 0;
    const silent = await silentRestart(node.current());
    const socket = path.join(node.dir, 'run/notify/kubelet');
    // Odd datagrams first: the agent reads and drops what it does not know.
    for (const message of ['', 'X_UNKNOWN=1\nnot a line', 'READY=1'])
      expect(spawnSync('python3', ['-c', SEND, socket, message], { encoding: 'utf8' }).stderr).toBe('');
    if (release === '3.4.0') {
      await waitFor(() => readyPid() === silent, "the other sender's READY=1 taken (2.7 has no SCM_CREDENTIALS)");
    } else {
      await waitFor(() => (node.restarts('hung_watchdog') ?? 0) > counted, 'the start timeout all the same', 10_000);
      expect(node.state()?.history.at(-1)).toMatchObject({ pid: silent, reason: 'hung_watchdog' });
    }
    fs.rmSync(node.hangFile);
    await waitFor(() => node.current() !== undefined && readyPid() === node.current(), 'READY=1 of its own');
  });
});

// kubesup-agent under a real supervisord (Debian's 4.2.5 on Python 3, and 3.4.0 on Python 2.7): supervisord's
// event protocol, restart reasons and counters that never go down, the metrics file, and supervisord's end.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun } from '../helpers/with-test-node.js';
import { KUBELET, missingRelease, RELEASES, type Release, SupervisorNode, waitFor } from './helpers.js';

/** Skipped, saying why, where supervisord `release` cannot run here. */
const skipped = (release: Release) => cannotRun(`kubesup-agent on supervisord ${release}`, missingRelease(release));

describe.each(RELEASES)('kubesup-agent on supervisord %s', (release) => {
  const skip = skipped(release);
  let node: SupervisorNode;
  beforeAll(async () => {
    if (!skip) node = await SupervisorNode.start({ release });
  });
  afterAll(async () => {
    await node?.down();
  });

  it.skipIf(skip)('writes every program and its state from the first second, with the migrated unit', () => {
    expect(node.metric('node_supervisord_state', KUBELET)).toBe(20);
    expect(node.metric('kubesup_migrated_info', '{unit="kubelet.service",program="kubelet"}')).toBe(1);
    expect(node.restarts('crashed')).toBe(0);
    const start = node.metric('node_supervisord_start_time_seconds', KUBELET) ?? 0;
    expect(Math.abs(start - (node.starts().at(-1)?.time ?? 0))).toBeLessThan(2);
  });

  it.skipIf(skip)('counts three kill -9 as 1, 2, 3 crashes, each with its pid and signal', async () => {
    for (const n of [1, 2, 3]) {
      const pid = await waitFor(() => node.current(), 'the stand-in');
      // Killed only once RUNNING: an end during startsecs is a BACKOFF, paced by supervisord.
      await waitFor(() => node.metric('node_supervisord_state', KUBELET) === 20, 'RUNNING');
      process.kill(pid, 'SIGKILL');
      await waitFor(() => node.restarts('crashed') === n, `restart counter ${n}`);
      const last = node.state()?.history.at(-1);
      expect(last).toMatchObject({ program: 'kubelet', pid, reason: 'crashed', signal: 'SIGKILL', exit: null });
      await waitFor(() => node.current() !== undefined && node.current() !== pid, 'the next stand-in');
    }
    expect(node.state()?.restarts.kubelet).toEqual({ crashed: 3 });
    expect(node.metric('node_supervisord_exit_status', KUBELET)).toBe(-1);
  });

  it.skipIf(skip)('calls supervisorctl stop and restart the operator', async () => {
    await waitFor(() => node.metric('node_supervisord_state', KUBELET) === 20, 'RUNNING');
    node.ctl('stop', 'kubelet');
    await waitFor(() => node.restarts('operator') === 1, 'the stop counted');
    expect(node.metric('node_supervisord_state', KUBELET)).toBe(0);
    node.ctl('start', 'kubelet');
    node.ctl('restart', 'kubelet');
    await waitFor(() => node.restarts('operator') === 2, 'the restart counted');
    expect(node.state()?.history.at(-1)).toMatchObject({ reason: 'operator', signal: 'SIGTERM' });
    expect(node.restarts('crashed')).toBe(3);
  });

  it.skipIf(skip)("keeps supervisord's start pacing: a daemon failing at start still waits 1, 2, 3 s", async () => {
    const before = node.starts().length;
    fs.writeFileSync(node.crashFile, '');
    process.kill(await waitFor(() => node.current(), 'the stand-in'), 'SIGKILL');
    // The start after the kill, then three failed ones, each after supervisord's backoff (1 s more each time).
    const starts = await waitFor(() => node.starts().length >= before + 4 && node.starts().slice(before), '4 starts');
    fs.rmSync(node.crashFile);
    const gaps = starts.slice(1).map((s, i) => s.time - (starts[i]?.time ?? 0));
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThan(i + 1 - 0.05);
    });
    expect(node.state()?.history.at(-1)).toMatchObject({ reason: 'exited', exit: 1, pid: null });
    await waitFor(() => node.metric('node_supervisord_state', KUBELET) === 20, 'RUNNING again');
  });

  it.skipIf(skip)('keeps the counters across a supervisord restart, and says up 0 when supervisord dies', async () => {
    const before = node.state()?.restarts.kubelet ?? {};
    const crashed = before.crashed ?? 0;
    expect(crashed).toBeGreaterThanOrEqual(3);
    // kill -9: no event comes; the agent's stdin closes and it writes what it knows with up 0.
    await node.stop('SIGKILL');
    await waitFor(() => node.metric('node_supervisord_up') === 0, 'node_supervisord_up 0');
    expect(node.restarts('crashed')).toBe(crashed);
    await node.boot();
    expect(node.metric('node_supervisord_up')).toBe(1);
    expect(node.restarts('crashed')).toBe(crashed);
    expect(node.restarts('operator')).toBe(2);
    expect(node.state()?.restarts.kubelet).toEqual(before);
    // An orderly shutdown stops the agent with the programs: up 0, and nothing lowered. (supervisord sends no
    // event while it stops, so these ends are not counted: as systemd's NRestarts, a stop is not a restart.)
    await node.stop('SIGTERM');
    expect(node.metric('node_supervisord_up')).toBe(0);
    expect(node.state()?.restarts.kubelet).toEqual(before);
    await node.boot();
    process.kill(await waitFor(() => node.current(), 'the stand-in'), 'SIGKILL');
    await waitFor(() => node.restarts('crashed') === crashed + 1, 'counting on');
  });
});

describe("kubesup-agent with a password on supervisord's socket", () => {
  const skip = skipped('debian');
  let node: SupervisorNode;
  beforeAll(async () => {
    if (!skip) node = await SupervisorNode.start({ release: 'debian', auth: true });
  });
  afterAll(async () => {
    await node?.down();
  });

  it.skipIf(skip)('asks supervisord with the credentials: the state at start, the signal of each exit', async () => {
    // The state came from getAllProcessInfo: the first events reach a listener only once it is RUNNING.
    expect(node.metric('node_supervisord_state', '{name="kubesup-agent",group="kubesup-agent"}')).toBe(20);
    const pid = await waitFor(() => node.current(), 'the stand-in');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => node.restarts('crashed') === 1, 'the kill counted');
    expect(node.state()?.history.at(-1)).toMatchObject({ pid, reason: 'crashed', signal: 'SIGKILL' });
    expect(node.read('agent.log')).not.toContain('failed');
  });
});

describe('kubesup-agent refused by supervisord (a wrong password)', () => {
  const skip = skipped('debian');
  let node: SupervisorNode;
  beforeAll(async () => {
    if (!skip)
      node = await SupervisorNode.start({
        release: 'debian',
        auth: true,
        config: { supervisor_auth: 'kubesup:wrong' },
      });
  });
  afterAll(async () => {
    await node?.down();
  });

  it.skipIf(skip)(
    'says so, and still counts every exit (its words then from the zombie, when read first)',
    async () => {
      const refused = 'supervisor.getAllProcessInfo failed: HTTP/1.0 401 Unauthorized';
      await waitFor(() => node.read('agent.log').includes(refused), 'the agent saying it was refused');
      for (const n of [1, 2]) {
        const pid = await waitFor(() => node.current(), 'the stand-in');
        await waitFor(() => node.metric('node_supervisord_state', KUBELET) === 20, 'RUNNING');
        process.kill(pid, 'SIGKILL');
        const counted = () => Object.values(node.state()?.restarts.kubelet ?? {}).reduce((a, b) => a + b, 0);
        await waitFor(() => counted() === n, `exit ${n} counted`);
        // supervisord's log words are refused; the zombie's wait status is read unless supervisord reaped it first.
        const last = node.state()?.history.at(-1);
        expect([
          { pid, reason: 'crashed', signal: 'SIGKILL', detail: 'terminated by SIGKILL' },
          { pid, reason: 'exited', signal: null, detail: 'status unknown' },
        ]).toContainEqual({ pid: last?.pid, reason: last?.reason, signal: last?.signal, detail: last?.detail });
        await waitFor(() => node.current() !== pid && node.current(), 'the next stand-in');
      }
    },
  );
});

// The line under the table about the selected program's process: never another process's figures under its
// name, never "not running" beside a RUNNING row; the dead process's last figures kept, marked, after a crash.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgramRow } from '../../../src/core/monitor/monitor-data.js';
import { processLine } from '../../../src/core/monitor/process-line.js';
import { engineOn, stopEngines, TARGET } from '../../helpers/engine-on-node.js';
import { type FakeNode, fakeNode } from '../../helpers/fake-host/index.js';

afterEach(stopEngines);

/** A process's /proc as the sampler reads it: 1.5 GiB resident, 31 threads. */
function putProc(node: FakeNode, pid: number, rssKb = 1572864): void {
  node.files.put(`/proc/${pid}/stat`, `${pid} (kubelet) S 1 ${'0 '.repeat(9)}1000 500 0 0`);
  node.files.put(`/proc/${pid}/status`, `Name:\tkubelet\nVmRSS:\t ${rssKb} kB\nThreads:\t31\n`);
}

/** Until the sample a poll set off (not awaited by it) has landed. */
async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setImmediate(r));
  expect(done()).toBe(true);
}

describe('the process line', () => {
  it(`samples a new pid at once,\
 and keeps the dead process's figures marked until the new one is sampled`, async () => {
    const node = fakeNode('kubekey-centos7');
    // No disks to sample: the node's figures here are the process's only.
    const engine = engineOn(node, { pollMs: 250, restPollMs: 250, healthMs: 60_000 }, { ...TARGET, disks: [] });
    engine.followLog('node-exporter');
    const first = () => engine.current.programs.find((p) => p.name === 'node-exporter') as ProgramRow;
    await engine.pollOnce();
    const pid = first().pid;
    putProc(node, pid);
    // Its figures at the first poll, not at the next node sample seconds later.
    await engine.pollOnce();
    await settle(() => engine.current.usage?.pid === pid);
    const line = () => processLine(first(), engine.current, node.clock.now()).text;
    expect(line()).toBe(`node-exporter pid ${pid} · 1.5 GiB resident · 31 threads · 0 open files`);

    await node.clock.sleep(1500);
    node.supervisord.crash('node-exporter');
    await engine.pollOnce();
    const next = first().pid;
    expect(next).not.toBe(pid);
    // The new process has no /proc files in this fake yet: its figures are not there, the dead one's are kept.
    expect(line()).toMatch(
      new RegExp(
        `^node-exporter pid ${pid} ended SIGKILL · 1s before it: 1.5 GiB resident` +
          ` · 31 threads · 0 open files · now pid ${next}, no figures yet$`,
      ),
    );
    expect(processLine(first(), engine.current, node.clock.now()).past).toBe(true);

    // Tried once without figures, the new pid is not sampled again at every poll: at the next node sample.
    await settle(() => engine.current.usageOf?.triedPid === next);
    putProc(node, next, 1024);
    await engine.pollOnce();
    expect(engine.current.usage?.pid).toBe(pid);
    await engine.sampleNode();
    expect(line()).toBe(`node-exporter pid ${next} · 1.0 MiB resident · 31 threads · 0 open files`);
  });

  it('a waiting wrapper is said to be one, not given the program name with its own figures', () => {
    const row = {
      name: 'kubelet',
      namespec: 'kubelet',
      state: 'RUNNING',
      pid: 517,
      waiting: { retryInS: 3, failedStarts: 2 },
      history: { restarts: 2, spawns: 3, exits: [], lastExit: null },
    } as unknown as ProgramRow;
    const wrapper = { pid: 517, cpuPercent: 0, cpuSeconds: 0, rssBytes: 3.3 * 2 ** 20, threads: 1, openFiles: 3 };
    const text = processLine(row, { usage: wrapper, usageOf: { namespec: 'kubelet', atMs: 0 } }, 0).text;
    expect(text).toBe('kubelet: not started yet, next try in 3s (pid 517 is its wrapper)');
    expect(text).not.toContain('kubelet pid 517');
    expect(processLine(row, { usage: null, usageOf: null }, 0).text).not.toContain('not running');
  });
});

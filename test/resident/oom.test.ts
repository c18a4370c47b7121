// An OOM kill told apart from an operator's kill -9, by the kernel's own record: the `Killed process N` line in
// /dev/kmsg (a fake kmsg file here) end to end, and the memory cgroup's oom_kill counter (v1 and v2, fake
// folders) through the agent's functions, on both interpreters supervisord runs on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun } from '../helpers/with-test-node.js';
import { AGENT, interpreter, missingRelease, RELEASES, type Release, SupervisorNode, waitFor } from './helpers.js';

/** Skipped, saying why, where supervisord `release` cannot run here. */
const skipped = (release: Release) => cannotRun(`the OOM tests on supervisord ${release}`, missingRelease(release));

// Imports the agent's modules (kubesup_agent/ beside the script) and prints what its OOM functions make of fake
// records.
const PROBE = `
import os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(sys.argv[1]))
from kubesup_agent import common, exits
g = dict(vars(exits), dumps=common.dumps)
root = sys.argv[2]
def put(rel, text):
    path = os.path.join(root, rel)
    if not os.path.isdir(os.path.dirname(path)):
        os.makedirs(os.path.dirname(path))
    open(path, 'w').write(text)
put('proc/100/cgroup', '0::/system.slice/supervisor.service\\n')
put('cg/system.slice/supervisor.service/memory.events', 'low 0\\nhigh 0\\nmax 4\\noom 1\\noom_kill 2\\n')
put('proc/200/cgroup', '4:cpu,cpuacct:/system.slice\\n12:memory:/system.slice/supervisor.service\\n')
put('cg/memory/system.slice/supervisor.service/memory.oom_control', 'oom_kill_disable 0\\nunder_oom 0\\noom_kill 5\\n')
put('proc/300/cgroup', '1:name=systemd:/system.slice/supervisor.service\\n')
put('kmsg', '4,100,5,-;some other line\\n')
fd = os.open(os.path.join(root, 'kmsg'), os.O_RDONLY | os.O_NONBLOCK)
os.lseek(fd, 0, 2)
with open(os.path.join(root, 'kmsg'), 'a') as f:
    f.write('3,101,6,-;Out of memory: Killed process 4321 (kubelet) total-vm:1024kB, anon-rss:512kB\\n')
    f.write('3,102,7,-;Memory cgroup out of memory: Killed process 4400 (kubelet) total-vm:1kB\\n')
first = sorted(g['kmsg_killed_pids'](fd))
later = sorted(g['kmsg_killed_pids'](fd))
files = [g['oom_counter_file'](root + '/proc', root + '/cg', pid) for pid in (100, 200, 300, 999)]
counts = [g['oom_kills'](f) for f in files]
reason = g['exit_reason']
reasons = [reason(True, None, 'x', 'terminated by SIGTERM'), reason(False, ('hung_watchdog', 'watchdog: w'), None,
           'exit status 2'), reason(False, None, 'the kernel: Killed process 7', 'terminated by SIGKILL'),
           reason(False, None, None, 'terminated by SIGSEGV (core dumped)'), reason(False, None, None, 'exit status 1'),
           reason(False, None, None, None)]
sys.stdout.write(g['dumps']({'first': first, 'later': later, 'files': [f and f[len(root):] for f in files],
                              'counts': counts, 'reasons': reasons}))
`;

describe.each(RELEASES)('OOM kills on supervisord %s', (release) => {
  const skip = skipped(release);
  let node: SupervisorNode;
  beforeAll(async () => {
    if (!skip) node = await SupervisorNode.start({ release });
  });
  afterAll(async () => {
    await node?.down();
  });

  it.skipIf(skip)("reads the kernel's records: kmsg lines, cgroup v2 and v1 counters; one reason per exit", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-oom-'));
    const [python, ...flags] = interpreter(release);
    const r = spawnSync(python, [...flags, '-c', PROBE, AGENT, dir], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      first: [4321, 4400],
      later: [],
      files: [
        '/cg/system.slice/supervisor.service/memory.events',
        '/cg/memory/system.slice/supervisor.service/memory.oom_control',
        null,
        null,
      ],
      counts: [2, 5, null, null],
      reasons: [
        ['operator', 'stopped by the operator (terminated by SIGTERM)'],
        ['hung_watchdog', 'watchdog: w; then exit status 2'],
        ['oom_killed', 'the kernel: Killed process 7 (terminated by SIGKILL)'],
        ['crashed', 'terminated by SIGSEGV (core dumped)'],
        ['exited', 'exit status 1'],
        ['exited', 'status unknown'],
      ],
    });
  });

  it.skipIf(skip)("tells an OOM kill (the kernel's line for its pid) from a plain kill -9", async () => {
    const victim = node.current() ?? 0;
    fs.appendFileSync(node.kmsg, `3,900,1,-;Out of memory: Killed process ${victim} (python3) total-vm:9kB\n`);
    process.kill(victim, 'SIGKILL');
    await waitFor(() => node.restarts('oom_killed') === 1, 'the OOM kill counted');
    expect(node.state()?.history.at(-1)).toMatchObject({ pid: victim, reason: 'oom_killed', signal: 'SIGKILL' });
    expect(node.state()?.history.at(-1)?.detail).toContain(`Killed process ${victim}`);
    await waitFor(() => node.metric('node_supervisord_state', '{name="kubelet",group="kubelet"}') === 20, 'RUNNING');
    const next = node.current() ?? 0;
    process.kill(next, 'SIGKILL');
    await waitFor(() => node.restarts('crashed') === 1, 'the plain kill counted');
    expect(node.state()?.history.at(-1)).toMatchObject({ pid: next, reason: 'crashed' });
    expect(node.restarts('oom_killed')).toBe(1);
  });
});

/**
 * The resident agent (src/resident/kubesup-agent.py) under a real supervisord run as a plain process, on Debian's
 * 4.2.5 (Python 3) and 3.4.0 (Python 2.7):
 * - at rest, one program watched with a 60 s watchdog (a ping every 30 s): PSS and private memory (its shared
 *   pages are supervisord's own interpreter's), CPU over the window and wake-ups (context switches);
 * - respawn: from a kill -9 of the stand-in to the next one's exec (its wrapper's own $EPOCHREALTIME), with and
 *   without the agent, alternating; then through the migration on stand-in nodes (resident-node.ts).
 * `npx tsx bench/resident.ts [--quick]` prints the figures; benchResident() adds them to bench/run.ts's table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AGENT, missingRelease, RELEASES, type Release, SupervisorNode, waitFor } from '../test/resident/helpers.js';
import { fmt, QUICK, RUNS, row, sleep, stats } from './common.js';
import { benchNodeRespawn } from './resident-node.js';

const REST_SECONDS = QUICK ? 15 : 60;
const TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}
function field(file: string, name: string): number {
  return Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(fs.readFileSync(file, 'utf8'))?.[1] ?? Number.NaN);
}
const now = () => (performance.timeOrigin + performance.now()) / 1000;

async function atRest(release: Release): Promise<void> {
  const node = await SupervisorNode.start({ release, program: { watchdogSec: 60 } });
  try {
    const pid = Number(/\d+/.exec(node.ctl('pid', 'kubesup-agent'))?.[0]);
    await sleep(2000);
    const switches = () => field(`/proc/${pid}/status`, 'voluntary_ctxt_switches');
    const [c0, s0, t0] = [cpuTicks(pid), switches(), now()];
    await sleep(REST_SECONDS * 1000);
    const [c1, s1, t1] = [cpuTicks(pid), switches(), now()];
    const smaps = `/proc/${pid}/smaps_rollup`;
    const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
    const pss = field(smaps, 'Pss');
    const priv = field(smaps, 'Private_Clean') + field(smaps, 'Private_Dirty');
    const cpu = (((c1 - c0) / TICKS_PER_SECOND / (t1 - t0)) * 100).toFixed(3);
    const what = `agent at rest, supervisord ${release}`;
    row(
      `${what}: memory PSS / private (RSS ${mb(field(smaps, 'Rss'))})`,
      `${mb(pss)} / ${mb(priv)}`,
      '<= 8 MB',
      pss <= 8192,
    );
    row(
      `${what}: CPU over ${REST_SECONDS} s, wake-ups`,
      `${cpu} % (${s1 - s0} wake-ups)`,
      '< 0.1 %',
      Number(cpu) < 0.1,
    );
  } finally {
    await node.down();
  }
}

/** One kill -9 of a RUNNING stand-in: seconds until the next one's exec. */
async function respawn(node: SupervisorNode): Promise<number> {
  // Killed once it has lived past startsecs (1 s): a RUNNING exit, not a BACKOFF (that one waits on purpose).
  const last = await waitFor(() => {
    const start = node.starts().at(-1);
    return start && node.current() === start.pid && now() - start.time > 1.3 && start;
  }, 'a RUNNING stand-in');
  const killed = now();
  process.kill(last.pid, 'SIGKILL');
  const next = await waitFor(() => node.starts().find((s) => s.time > last.time), 'the next start', 10_000);
  return next.time - killed;
}

/** A copy of the agent's folder with its second wake-up request (20 ms after the first) taken out: is one enough? */
function onePokeAgent(): string {
  const second = "        self.timers[('wake', name)] = (monotonic() + 0.02, poke)\n";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-agent-one-poke-'));
  fs.cpSync(path.dirname(AGENT), dir, { recursive: true });
  const file = path.join(dir, 'kubesup_agent', 'watch.py');
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(second)) throw new Error(`${file} no longer has the second wake-up this bench takes out`);
  fs.writeFileSync(file, text.replace(second, '        pass\n'));
  return path.join(dir, path.basename(AGENT));
}

async function respawnLatency(release: Release): Promise<void> {
  const onePoke = onePokeAgent();
  const sides = {
    'with the agent': await SupervisorNode.start({ release }),
    'with the agent, one wake-up request only': await SupervisorNode.start({ release, agentFile: onePoke }),
    'supervisord alone': await SupervisorNode.start({ release, agent: false }),
  };
  try {
    const runs = new Map<string, number[]>(Object.keys(sides).map((side) => [side, []]));
    for (let i = 0; i < RUNS + 1; i++)
      for (const [side, node] of Object.entries(sides)) {
        const seconds = await respawn(node);
        if (i > 0) runs.get(side)?.push(seconds * 1000); // the first round warms up
      }
    const what = `respawn after kill -9 (death to next exec), supervisord ${release}`;
    for (const [side, ms] of runs) {
      const target = side === 'with the agent' ? '<= 100 ms median' : 'reference';
      row(`${what}, ${side}`, fmt(ms, 'ms'), target, side === 'with the agent' ? stats(ms).median <= 100 : null);
    }
  } finally {
    for (const node of Object.values(sides)) await node.down();
    fs.rmSync(path.dirname(onePoke), { recursive: true, force: true });
  }
}

export async function benchResident(): Promise<void> {
  process.stderr.write('resident agent\n');
  for (const release of RELEASES) {
    const missing = missingRelease(release);
    if (missing) {
      process.stderr.write(`  supervisord ${release} skipped: ${missing}\n`);
      continue;
    }
    await atRest(release);
    await respawnLatency(release);
  }
  await benchNodeRespawn();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  benchResident().catch((error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });

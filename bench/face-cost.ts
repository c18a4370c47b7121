/**
 * What kubelet.service's face costs while it runs (`npx tsx bench/face-cost.ts`): on a real-systemd node
 * (kubeadm layout), migrated, with kubelet logging 2 lines a second, every process of the face's cgroup (the
 * log forwarder: sed and tail), their PSS (smaps_rollup) and their CPU over 60 s (utime+stime in /proc/PID/stat).
 * Budget: 8 MB PSS and 0.1 % of a core for every resident piece together.
 */
import { kubesup } from '../test/helpers/cli-in-node.js';
import { SystemdNode } from '../test/systemd/systemd-node.js';

const WINDOW_S = 60;

async function faceProcesses(node: SystemdNode): Promise<string[]> {
  const cgroup = (await node.sh('systemctl show -p ControlGroup --value kubelet.service')).trim();
  const procs = await node.sh(
    `cat /sys/fs/cgroup/systemd${cgroup}/cgroup.procs 2>/dev/null || cat /sys/fs/cgroup${cgroup}/cgroup.procs`,
  );
  return procs.trim().split('\n').filter(Boolean);
}

async function cpuTicks(node: SystemdNode, pids: readonly string[]): Promise<number> {
  const out = await node.sh(`for p in ${pids.join(' ')}; do cut -d' ' -f14,15 /proc/$p/stat; done`);
  return out
    .trim()
    .split('\n')
    .flatMap((l) => l.split(' ').map(Number))
    .reduce((a, b) => a + b, 0);
}

const node = await SystemdNode.up('kubeadm-ubuntu');
try {
  await node.waitFor('curl -sf 127.0.0.1:10248/healthz && supervisorctl status >/dev/null', 30_000);
  const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
  if (r.exitCode !== 0) throw new Error(`migrate failed: ${r.stdout}${r.stderr}`);
  await node.sh('mkdir -p /run/kubelet-standin && echo 2 > /run/kubelet-standin/log-rate');
  const pids = await faceProcesses(node);
  const names = await node.sh(`for p in ${pids.join(' ')}; do echo "$p $(cat /proc/$p/comm)"; done`);
  const pss = await node.sh(
    `awk '/^Pss:/ {s += $2} END {print s}' ${pids.map((p) => `/proc/${p}/smaps_rollup`).join(' ')}`,
  );
  const hz = Number((await node.sh('getconf CLK_TCK')).trim());
  const lines0 = Number((await node.sh('journalctl -u kubelet.service -o cat --no-pager | wc -l')).trim());
  const t0 = await cpuTicks(node, pids);
  const started = Date.now();
  await node.waitFor(`[ $(( $(date +%s) - ${Math.floor(started / 1000)} )) -ge ${WINDOW_S} ]`, (WINDOW_S + 10) * 1000);
  const t1 = await cpuTicks(node, pids);
  const lines1 = Number((await node.sh('journalctl -u kubelet.service -o cat --no-pager | wc -l')).trim());
  const seconds = (Date.now() - started) / 1000;
  console.log(`face processes: ${names.trim().replace(/\n/g, ', ')}`);
  console.log(`PSS together: ${(Number(pss.trim()) / 1024).toFixed(2)} MB (budget 8 MB for every resident piece)`);
  console.log(
    `CPU over ${seconds.toFixed(0)} s: ${(((t1 - t0) / hz / seconds) * 100).toFixed(3)} % of a core (budget 0.1 %)`,
  );
  console.log(`journal lines forwarded meanwhile: ${lines1 - lines0}`);
} finally {
  await node.down();
}

// Restarts a fleet can see, as the migration sets them up: Debian's node_exporter running in the node (a plain
// process) with its textfile folder named by its flag; migrate finds that folder; after three kills of kubelet,
// node_exporter's /metrics counts 3; promtool accepts the file; a restart of supervisord does not lower the count;
// status --json says the same.
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupJson } from '../helpers/cli-in-node.js';
import { cannotRun, skipWithout, withTestNode } from '../helpers/with-test-node.js';

const TEXTFILE = '/srv/node-exporter-textfile';
const METRICS = 'curl -sf 127.0.0.1:9100/metrics';
const CTL = 'supervisorctl -c /etc/supervisor/supervisord.conf';
/**
 * A sample's value on node_exporter's /metrics, as a shell command printing it (empty when absent). Labels as
 * node_exporter writes them: sorted by name.
 */
const sample = (series: string) => `${METRICS} | awk -v s='${series}' '$1 == s { print $2 }'`;
const CRASHED = 'kubesup_program_restarts_total{name="kubelet",reason="crashed"}';
const kubeletPid = 'pgrep -x kubelet';

const missing = skipWithout({ 'prometheus-node-exporter': 'prometheus-node-exporter', promtool: 'prometheus' });

describe.skipIf(cannotRun('the agent seen through node_exporter', missing))(
  'restarts in Prometheus after a migration (kubeadm-ubuntu, Debian node_exporter)',
  () => {
    const node = withTestNode('kubeadm-ubuntu', async (node) => {
      await node.waitFor('test -S /var/run/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
      await node.sh(`mkdir -p ${TEXTFILE}`);
      // Started as it runs on a node, its collector's folder on its command line.
      await node.sh(
        'setsid prometheus-node-exporter --web.listen-address=127.0.0.1:9100 --collector.disable-defaults ' +
          `--collector.textfile --collector.textfile.directory=${TEXTFILE} >/dev/null 2>&1 < /dev/null &`,
      );
      await node.waitFor(`${METRICS} >/dev/null`);
    });

    it("migrate writes the agent's metrics where the running node_exporter reads them", async () => {
      const plan = await kubesup(node, ['plan']);
      expect(plan.stdout).toContain(`metrics: ${TEXTFILE}/kubesup.prom, for node_exporter's textfile collector`);
      const r = await kubesup(node, ['migrate', '--yes'], { timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      await node.waitFor(`[ "$(${sample('node_supervisord_up')})" = 1 ]`);
      expect(await node.sh(sample('kubesup_migrated_info{program="kubelet",unit="kubelet.service"}'))).toBe('1\n');
    });

    it('three kills of kubelet: the counter reads 1, 2, 3 on /metrics as each restart happens', async () => {
      const seen: number[] = [];
      for (const n of [1, 2, 3]) {
        const pid = (await node.sh(kubeletPid)).trim();
        await node.sh(`kill -9 ${pid}`);
        const killed = performance.now();
        await node.waitFor(`[ "$(${sample(CRASHED)})" = ${n} ]`, 15_000);
        seen.push(Math.round(performance.now() - killed));
        await node.waitFor(`p=$(${kubeletPid}) && [ "$p" != ${pid} ] && curl -sf 127.0.0.1:10248/healthz`, 30_000);
      }
      console.log(`kill -9 to the count on node_exporter's /metrics: ${seen.join(', ')} ms`);
    });

    it('the file passes promtool check metrics', async () => {
      const r = await node.exec(['bash', '-c', `promtool check metrics < ${TEXTFILE}/kubesup.prom`]);
      expect(r.stdout + r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
    });

    it('a restart of supervisord does not lower the count, and status --json gives the same counts', async () => {
      await node.sh('systemctl restart supervisor');
      await node.waitFor(`${CTL} status kubesup-agent | grep -q RUNNING`, 60_000);
      await node.waitFor(`[ "$(${sample('node_supervisord_up')})" = 1 ]`, 30_000);
      expect(await node.sh(sample(CRASHED))).toBe('3\n');
      const status = await kubesupJson(node, ['status']);
      const kubelet = status.json.programs.find((p: { name: string }) => p.name === 'kubelet');
      expect(kubelet.history_source).toBe('kubesup-agent');
      const onMetrics = await node.sh(METRICS);
      const byReason = Object.fromEntries(
        [...onMetrics.matchAll(/^kubesup_program_restarts_total\{name="kubelet",reason="(\w+)"\} (\d+)$/gm)].map(
          ([, reason, value]) => [reason, Number(value)],
        ),
      );
      expect(byReason.crashed).toBe(3);
      expect(kubelet.restarts_by_reason).toEqual(byReason);
    });

    it('rollback: kubelet back under systemd, node_exporter left alone', async () => {
      const r = await kubesup(node, ['rollback', '--yes'], { timeoutMs: 120_000 });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      await node.waitFor(`${METRICS} >/dev/null`);
      await node.sh('pkill -x prometheus-node || true'); // its comm, cut to 15 characters
    });
  },
);

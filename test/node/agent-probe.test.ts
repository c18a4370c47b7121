// A kubelet without the watchdog (1.28) under kubesup-agent's liveness probe on the stand-in node, with short
// settings from `migrate --probe` (the defaults, 10 s x 6 after 120 s, take minutes): a healthy kubelet is never
// restarted by it, a hung one (alive, deaf to SIGTERM, healthz silent) is, as hung_healthz, then SIGKILL; a re-run
// with other settings regenerates the migration with them.
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupJson } from '../helpers/cli-in-node.js';
import { withTestNode } from '../helpers/with-test-node.js';
import type { TestNode } from './test-node.js';

const CTL = 'supervisorctl -c /etc/supervisord.conf';
const STATE = '/var/lib/kubesup-tui/agent-state.json';
const PROBE = { interval: 2, timeout: 1, failures: 3, grace: 10 };
const kubeletPid = async (node: TestNode) => Number((await node.sh('pgrep -x kubelet')).trim());
const counted = (reason: string, n: number) =>
  `python3 -c 'import json,sys; s=json.load(open("${STATE}")); ` +
  `sys.exit(0 if s["restarts"]["kubelet"].get("${reason}") == ${n} else 1)'`;

// The reference layout: EPEL's supervisord 3.4.0, the agent on Python 2.7.
describe('the liveness probe with a 1.28 kubelet, kubekey-centos7', () => {
  const node = withTestNode('kubekey-centos7', async (node) => {
    await node.waitFor('test -S /var/run/supervisor/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
    await node.sh('echo v1.28.0 > /etc/kubelet-standin/version');
  });

  it('plan shows the probe as --probe sets it; migrate installs it, and no watchdog', async () => {
    const probe = `interval=${PROBE.interval},timeout=${PROBE.timeout},failures=${PROBE.failures},grace=${PROBE.grace}`;
    const plan = await kubesup(node, ['plan', '--probe', probe]);
    expect(plan.stdout).toContain(
      'liveness probe: http://127.0.0.1:10248/healthz every 2 s, timeout 1 s, restarted after 3 failures in a row, ' +
        'never in the first 10 s',
    );
    const r = await kubesup(node, ['migrate', '--yes', '--probe', probe], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    await node.waitFor(`${CTL} status kubesup-agent | grep -q RUNNING`);
    expect(JSON.parse(await node.sh('cat /etc/kubesup-tui/agent.d/kubelet.json'))).toMatchObject({
      watchdog_sec: null,
      healthz: { url: 'http://127.0.0.1:10248/healthz', ...PROBE },
    });
    expect(await node.sh(`tr '\\0' '\\n' < /proc/${await kubeletPid(node)}/environ`)).not.toContain('WATCHDOG_USEC');
  });

  it('a healthy kubelet is not restarted by the probe: its grace and many probes later, the same process', async () => {
    const healthy = await kubeletPid(node);
    // Past the grace and five intervals: the probe has run and passed (the agent's gauge says so).
    await node.waitFor(`[ "$(ps -o etimes= -p ${healthy})" -ge ${PROBE.grace + 5 * PROBE.interval} ]`, 40_000);
    await node.waitFor(
      'grep -q \'^kubesup_healthz_up{name="kubelet"} 1$\' /var/lib/prometheus/node-exporter/kubesup.prom',
    );
    expect(await kubeletPid(node)).toBe(healthy);
    const state = JSON.parse(await node.sh(`cat ${STATE} 2>/dev/null || echo '{"restarts":{}}'`));
    expect(state.restarts.kubelet?.hung_healthz ?? 0).toBe(0);
  });

  it('a hung kubelet is restarted by the probe: hung_healthz, in the agent state and status --json', async () => {
    const hung = await kubeletPid(node);
    await node.sh(`kill -USR2 ${hung}`);
    // 3 failed probes 2 s apart (1 s each), SIGTERM (ignored while hung), SIGKILL 10 s later.
    await node.waitFor(`p=$(pgrep -x kubelet) && [ "$p" != ${hung} ]`, 30_000);
    await node.waitFor(counted('hung_healthz', 1));
    await node.waitFor(`${CTL} status kubelet | grep -q RUNNING`);
    const { json } = await kubesupJson(node, ['status']);
    const kubelet = json.programs.find((p: { name: string }) => p.name === 'kubelet');
    expect(kubelet.restarts_by_reason).toMatchObject({ hung_healthz: 1, crashed: 0 });
    expect(kubelet.last_exit).toMatchObject({ reason: 'hung_healthz', signal: 'SIGKILL' });
    expect(kubelet.last_exit.detail).toMatch(/healthz: 3 failures in a row/);
    await node.waitFor('curl -sf 127.0.0.1:10248/healthz', 20_000);
  });

  it('migrate again with another probe: regenerated with it; the same once more: nothing to do', async () => {
    const probe = ['--probe', `interval=3,timeout=${PROBE.timeout},failures=${PROBE.failures},grace=${PROBE.grace}`];
    const r = await kubesup(node, ['migrate', '--yes', ...probe], { timeoutMs: 180_000 });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('liveness probe interval 2 -> 3');
    expect(r.stdout).toContain('regenerating: roll back to systemd, then migrate again with them');
    expect(JSON.parse(await node.sh('cat /etc/kubesup-tui/agent.d/kubelet.json')).healthz).toEqual({
      url: 'http://127.0.0.1:10248/healthz',
      ...PROBE,
      interval: 3,
    });
    await node.waitFor(`${CTL} status kubesup-agent | grep -q RUNNING && ${CTL} status kubelet | grep -q RUNNING`);
    const again = await kubesup(node, ['migrate', '--yes', ...probe], { timeoutMs: 120_000 });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^already migrated on .*nothing to do$/m);
  });
});

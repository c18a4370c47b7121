// Kubelets that are not this node's own systemd service are recognised, and not migrated.
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupJson } from '../helpers/cli-in-node.js';
import { withTestNode } from '../helpers/with-test-node.js';

describe('foreign kubelets', () => {
  const node = withTestNode('kubeadm-ubuntu', async (node) => {
    await node.waitFor('test -S /var/run/supervisor.sock && curl -sf 127.0.0.1:10248/healthz');
  });

  it('a kubelet in another pid namespace (a kind node on this host) is ignored, with a warning', async () => {
    await node.sh(
      'setsid unshare --pid --fork --mount-proc /usr/bin/kubelet --config=/nonexistent --kind-node >/dev/null 2>&1 ' +
        '< /dev/null &',
    );
    await node.waitFor("pgrep -f 'kind-nod[e]'");
    try {
      const pid = (await node.sh("pgrep -f -x '/usr/bin/kubelet --config=/nonexistent --kind-node'")).trim();
      const { exitCode, json } = await kubesupJson(node, ['detect']);
      expect(exitCode).toBe(0);
      expect(json.warnings).toContain(
        `pid ${pid} runs in another pid namespace (a container, such as a kind node): ignored`,
      );
      expect(json.running.argv).not.toContain('--kind-node');
      expect(json.refusal).toBeNull();
    } finally {
      await node.sh("pkill -f 'kind-nod[e]' || true");
    }
  });

  it('a kubelet run by RKE2: the migration is refused with the reason', async () => {
    await node.sh('systemctl stop kubelet && cp /bin/bash /usr/local/bin/rke2', { timeoutMs: 30_000 });
    await node.sh(
      "setsid /usr/local/bin/rke2 -c '/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml --rke2-child; true' " +
        '>/dev/null 2>&1 < /dev/null &',
    );
    await node.waitFor("pgrep -f 'rke2-chil[d]'");
    try {
      const { json } = await kubesupJson(node, ['detect']);
      expect(json.refusal).toBe('kubelet is run by RKE2, which restarts it itself; kubesup-tui does not migrate it');
      const r = await kubesup(node, ['migrate', '--yes']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(
        'kubesup-tui: no migration: kubelet is run by RKE2, which restarts it itself; ' +
          'kubesup-tui does not migrate it\n',
      );
      expect((await node.exec(['test', '-e', '/var/lib/kubesup-tui/journal.json'])).exitCode).not.toBe(0);
    } finally {
      await node.sh("pkill -f 'rke2-chil[d]' || true; rm -f /usr/local/bin/rke2");
    }
  });

  it('k3s (kubelet embedded, no kubelet process, no kubelet unit): refused, exit 1 with the reason', async () => {
    await node.sh(
      'rm -rf /usr/lib/systemd/system/kubelet.service /usr/lib/systemd/system/kubelet.service.d && cp /bin/sleep ' +
        '/usr/local/bin/k3s-server',
    );
    await node.sh('setsid /usr/local/bin/k3s-server 600 >/dev/null 2>&1 < /dev/null &');
    try {
      const r = await kubesup(node, ['detect']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(
        'kubesup-tui: this is a k3s node: kubelet is embedded in the k3s process, ' +
          'there is no kubelet to put under supervisord\n',
      );
    } finally {
      await node.sh('pkill -x k3s-server || true');
    }
  });
});

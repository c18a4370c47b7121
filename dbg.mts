import { SystemdNode } from './test/systemd/systemd-node.ts';
const node = await SystemdNode.up('kubekey-centos7');
const sh = async (c: string) => { const r = await node.exec(['bash', '-c', c]); return (r.stdout + r.stderr).trim(); };
try {
  await node.waitFor('curl -sf 127.0.0.1:10248/healthz && supervisorctl -c /etc/supervisord.conf status', 30000);
  console.log((await node.exec(['node', '/work/main/bin/kubesup-tui.js', 'migrate', '--yes'])).stdout.slice(-200));
  await sh("mkdir -p /etc/systemd/system/supervisord.service.d && printf '[Unit]\\nStartLimitIntervalSec=0\\n[Service]\\nRestart=always\\nRestartSec=1\\n' > /etc/systemd/system/supervisord.service.d/60-try.conf && systemctl daemon-reload");
  console.log(await sh('systemctl show supervisord -p KillMode -p Restart -p RestartUSec -p TimeoutStopUSec'));
  const before = await sh('pgrep -x kubelet');
  const sup = await sh('systemctl show -p MainPID --value supervisord');
  const t0 = Date.now();
  await sh(`kill -9 ${sup}`);
  for (let i = 0; i < 200; i++) {
    const s = await sh('echo "$(systemctl is-active supervisord) sup=$(systemctl show -p MainPID --value supervisord) kubelets=$(pgrep -x kubelet | tr "\\n" ",")"');
    console.log(Date.now() - t0, s);
    if (s.startsWith('active') && !s.includes(`kubelets=${before},`) && /kubelets=\d+,$/.test(s)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
} finally { await node.down(); }

// The reference node in memory with containerd run by systemd beside kubelet.
import { fakeNode, hybridCgroup } from './fake-host/index.js';

const CONTAINERD = `[Unit]
Description=containerd container runtime
After=network.target local-fs.target

[Service]
ExecStart=/usr/local/bin/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
LimitNOFILE=1048576
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
`;
export const CONTAINERD_ARGV = ['/usr/local/bin/containerd'];

/** A process of containerd.service, as systemd starts it on a hybrid node (Delegate=yes: every controller). */
export const CONTAINERD_CGROUP = hybridCgroup('/system.slice/containerd.service');

/**
 * The reference node with containerd run by systemd; its socket answers while a containerd runs. Its cgroups
 * are a hybrid node's, containerd's own under systemd.
 */
export function nodeWithContainerd() {
  const node = fakeNode('kubekey-centos7');
  node.cgroups.mountHybrid(node.files);
  node.files.put('/etc/systemd/system/containerd.service', CONTAINERD);
  node.files.link(
    '/etc/systemd/system/multi-user.target.wants/containerd.service',
    '/etc/systemd/system/containerd.service',
  );
  const spawnContainerd = () => node.procs.spawn(CONTAINERD_ARGV, { cgroup: CONTAINERD_CGROUP });
  let pid = spawnContainerd();
  node.systemd.define(
    'containerd.service',
    { active: true },
    {
      start: () => (pid = spawnContainerd()),
      stop: () => node.procs.kill(pid),
      mainPid: () => (node.procs.table.has(pid) ? pid : 0),
    },
  );
  const spawnArgv = node.supervisord.spawnArgv;
  node.supervisord.spawnArgv = (name, command) =>
    command === '/etc/kubesup-tui/containerd.sh' ? [...CONTAINERD_ARGV] : spawnArgv(name, command);
  node.listening = (socket) =>
    socket === '/run/containerd/containerd.sock' && node.procs.named('containerd').length > 0;
  return node;
}

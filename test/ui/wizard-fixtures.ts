// What the wizard's tests are handed: a detection of the reference node, its plan and the plan's steps.
import type { Detection } from '../../src/core/detect/detect.js';
import type { Plan, PlanStep } from '../../src/core/migration/plan/plan.js';

export const DETECTION = {
  argv: ['/usr/local/bin/kubelet', '--config=/var/lib/kubelet/config.yaml', '--network-plugin=cni'],
  running: { pid: 725, argv: [], env: {}, managedBy: 'systemd' },
  configured: null,
  flags: [
    { arg: '/usr/local/bin/kubelet', source: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf:12 (ExecStart)' },
    {
      arg: '--config=/var/lib/kubelet/config.yaml',
      source: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf:4 ($KUBELET_CONFIG_ARGS, Environment=)',
    },
    {
      arg: '--network-plugin=cni',
      source: '/var/lib/kubelet/kubeadm-flags.env:1 ($KUBELET_KUBEADM_ARGS, EnvironmentFile=)',
    },
  ],
  kubelet: {
    version: '1.23.16',
    binary: '/usr/local/bin/kubelet',
    healthz: {
      address: '127.0.0.1',
      port: 10248,
      url: 'http://127.0.0.1:10248/healthz',
      config: '/var/lib/kubelet/config.yaml',
    },
  },
  supervisor: {
    installed: true,
    version: '4.2.5',
    pid: 216,
    unit: { name: 'supervisord.service', active: 'active', enabled: 'enabled' },
    program: null,
    programs: ['node-exporter'],
    programFile: '/etc/supervisord.d/kubelet.ini',
  },
  node: {
    packageManager: 'yum',
    runtimeUnits: ['containerd.service'],
    otherUnits: [
      { unit: 'containerd.service', active: 'active' },
      { unit: 'etcd.service', active: 'active' },
    ],
    unitInEtc: true,
  },
  refusal: null,
  warnings: ['--network-plugin was removed in kubelet 1.24'],
} as unknown as Detection;

export const STEPS: PlanStep[] = [
  {
    id: 'write:/etc/kubernetes/kubelet.sh',
    kind: 'write',
    title: 'write /etc/kubernetes/kubelet.sh',
    path: '/etc/kubernetes/kubelet.sh',
  },
  { id: 'stop-kubelet', kind: 'stop-systemd-kubelet', title: 'stop the systemd kubelet' },
  { id: 'verify', kind: 'verify', title: 'verify: kubelet RUNNING, healthz ok' },
];
export const PLAN = {
  program: 'kubelet',
  argv: DETECTION.argv,
  files: [
    {
      path: '/etc/kubernetes/kubelet.sh',
      role: 'wrapper',
      mode: 0o755,
      before: null,
      why: 'the wrapper',
      content: '#!/bin/bash\n# comment\nexport A=1\nexec /usr/local/bin/kubelet\n',
    },
    {
      path: '/etc/supervisord.conf',
      role: 'supervisor-config',
      mode: 0o644,
      before: '[supervisord]\n',
      why: 'add [include]',
      content: '[supervisord]\n\n[include]\nfiles = supervisord.d/*.ini\n',
    },
  ],
  steps: STEPS,
  warnings: [],
} as unknown as Plan;

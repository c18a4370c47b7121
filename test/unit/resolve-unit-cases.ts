// The table for resolve-unit.test.ts: each unit layout with the exact argv, environment and ExecStartPre
// systemd would run. A `\` ending a line inside a template is JavaScript's continuation, not systemd's.
import {
  KUBEADM_DROPIN,
  KUBEKEY_DROPIN,
  KUBEKEY_SERVICE,
  KUBELET_SERVICE,
  KUBESPRAY_ENV,
  KUBESPRAY_SERVICE,
} from '../fixtures/units/kubelet-units.js';

export interface Case {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly links?: Record<string, string>;
  readonly argv: string[];
  readonly env?: Record<string, string>;
  readonly pre?: string[][];
}

export const CASES: Case[] = [
  {
    name: 'kubeadm deb, pkgs.k8s.io (drop-in under /usr/lib, /etc/default/kubelet)',
    files: {
      '/usr/lib/systemd/system/kubelet.service': KUBELET_SERVICE(),
      '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBEADM_DROPIN('/etc/default/kubelet'),
      '/var/lib/kubelet/kubeadm-flags.env':
        'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock ' +
        '--pod-infra-container-image=registry.k8s.io/pause:3.9"\n',
      '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--node-ip=10.0.0.12\n',
    },
    argv: [
      '/usr/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
      '--pod-infra-container-image=registry.k8s.io/pause:3.9',
      '--node-ip=10.0.0.12',
    ],
  },
  {
    name: 'kubeadm deb, apt.kubernetes.io (unit in /lib, drop-in under /etc)',
    files: {
      '/lib/systemd/system/kubelet.service': KUBELET_SERVICE(),
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBEADM_DROPIN('/etc/default/kubelet'),
      '/var/lib/kubelet/kubeadm-flags.env':
        'KUBELET_KUBEADM_ARGS="--network-plugin=cni --pod-infra-container-image=k8s.gcr.io/pause:3.2"\n',
    },
    argv: [
      '/usr/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--network-plugin=cni',
      '--pod-infra-container-image=k8s.gcr.io/pause:3.2',
    ],
  },
  {
    name: 'kubeadm rpm (/etc/sysconfig/kubelet with an empty KUBELET_EXTRA_ARGS)',
    files: {
      '/usr/lib/systemd/system/kubelet.service': KUBELET_SERVICE(),
      '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBEADM_DROPIN('/etc/sysconfig/kubelet'),
      '/var/lib/kubelet/kubeadm-flags.env':
        'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n',
      '/etc/sysconfig/kubelet': 'KUBELET_EXTRA_ARGS=\n',
    },
    argv: [
      '/usr/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--container-runtime-endpoint=unix:///run/containerd/containerd.sock',
    ],
  },
  {
    name: 'KubeKey, CentOS 7 (the reference node)',
    files: {
      '/etc/systemd/system/kubelet.service': KUBEKEY_SERVICE,
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBEKEY_DROPIN,
      '/var/lib/kubelet/kubeadm-flags.env':
        'KUBELET_KUBEADM_ARGS="--cgroup-driver=systemd --network-plugin=cni ' +
        '--pod-infra-container-image=kubesphere/pause:3.6"\n',
    },
    argv: [
      '/usr/local/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--cgroup-driver=systemd',
      '--network-plugin=cni',
      '--pod-infra-container-image=kubesphere/pause:3.6',
      '--node-ip=192.168.123.14',
      '--hostname-override=node4',
    ],
  },
  {
    name: "KubeKey with /etc/default/kubelet: the file's KUBELET_EXTRA_ARGS replaces the drop-in's, whatever the order",
    files: {
      '/etc/systemd/system/kubelet.service': KUBEKEY_SERVICE,
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBEKEY_DROPIN,
      '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS="--max-pods=200"\n',
    },
    argv: [
      '/usr/local/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--max-pods=200',
    ],
  },
  {
    name: 'kubespray (one env file, multi-line values, undefined variables, ExecStartPre, PATH)',
    files: { '/etc/systemd/system/kubelet.service': KUBESPRAY_SERVICE, '/etc/kubernetes/kubelet.env': KUBESPRAY_ENV },
    argv: [
      '/usr/local/bin/kubelet',
      '--logtostderr=true',
      '--v=2',
      '--node-ip=10.10.1.5',
      '--hostname-override=node1',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--config=/etc/kubernetes/kubelet-config.yaml',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
      '--runtime-cgroups=/system.slice/containerd.service',
      '--network-plugin=cni',
      '--cni-conf-dir=/etc/cni/net.d',
      '--cni-bin-dir=/opt/cni/bin',
      '--volume-plugin-dir=/usr/libexec/kubernetes/kubelet-plugins/volume/exec',
    ],
    env: {
      PATH: '/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      KUBELET_CLOUDPROVIDER: '',
    },
    pre: [['/bin/mkdir', '-p', '/sys/fs/cgroup/cpuset/system.slice/kubelet.service']],
  },
  {
    name: 'kubeadm 1.8-1.10 (flags in Environment= lines, no env file)',
    files: {
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf \
--kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_SYSTEM_PODS_ARGS=--pod-manifest-path=/etc/kubernetes/manifests --allow-privileged=true"
Environment="KUBELET_NETWORK_ARGS=--network-plugin=cni --cni-conf-dir=/etc/cni/net.d --cni-bin-dir=/opt/cni/bin"
Environment="KUBELET_CGROUP_ARGS=--cgroup-driver=systemd"
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_SYSTEM_PODS_ARGS $KUBELET_NETWORK_ARGS $KUBELET_DNS_ARGS \
$KUBELET_CGROUP_ARGS $KUBELET_EXTRA_ARGS
`,
      '/usr/lib/systemd/system/kubelet.service': KUBELET_SERVICE(),
    },
    argv: [
      '/usr/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--pod-manifest-path=/etc/kubernetes/manifests',
      '--allow-privileged=true',
      '--network-plugin=cni',
      '--cni-conf-dir=/etc/cni/net.d',
      '--cni-bin-dir=/opt/cni/bin',
      '--cgroup-driver=systemd',
    ],
  },
  {
    name: 'minikube (flags inline in the drop-in, ExecStart reset)',
    files: {
      '/lib/systemd/system/kubelet.service':
        '[Service]\nExecStart=/var/lib/minikube/binaries/v1.28.3/kubelet\nRestart=always\nRestartSec=600ms\n',
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf':
        '[Service]\nExecStart=\nExecStart=/var/lib/minikube/binaries/v1.28.3/kubelet ' +
        '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --config=/var/lib/kubelet/config.yaml ' +
        '--hostname-override=minikube --node-ip=192.168.49.2\n\n[Install]\n',
    },
    argv: [
      '/var/lib/minikube/binaries/v1.28.3/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--hostname-override=minikube',
      '--node-ip=192.168.49.2',
    ],
  },
  {
    name: 'kind (ExecStartPre with sh -euc and quotes)',
    files: {
      '/etc/systemd/system/kubelet.service':
        '[Unit]\nConditionPathExists=/var/lib/kubelet/config.yaml\n[Service]\nExecStart=/usr/bin/kubelet\n' +
        'Restart=always\nRestartSec=1s\nKillMode=process\n',
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': KUBEADM_DROPIN('/etc/default/kubelet'),
      '/etc/systemd/system/kubelet.service.d/11-kind.conf':
        '[Service]\nExecStartPre=/bin/sh -euc "if [ -f /sys/fs/cgroup/cgroup.controllers ]; then ' +
        '/kind/bin/create-kubelet-cgroup-v2.sh; fi"\n',
      '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--runtime-cgroups=/system.slice/containerd.service',
    },
    argv: [
      '/usr/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--runtime-cgroups=/system.slice/containerd.service',
    ],
    pre: [
      [
        '/bin/sh',
        '-euc',
        'if [ -f /sys/fs/cgroup/cgroup.controllers ]; then /kind/bin/create-kubelet-cgroup-v2.sh; fi',
      ],
    ],
  },
  {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is systemd's syntax, named in the title
    name: 'edge cases: ${VAR} in a word, $$, braceless $VAR inside a word, quoted multi-assignments, %%, empty ${E}',
    files: {
      '/etc/systemd/system/kubelet.service': `[Service]
Environment="A=x y" B=z 'C=one "two three"' E=
Environment=EVICT=imagefs.available<5%%
ExecStart=/usr/bin/kubelet --a=\${A} --b=$B "--lit=$$HOME" $C --evict=\${EVICT} \${E} $UNSET \${UNSET2} \\
  --tab=a\\tb
`,
    },
    argv: [
      '/usr/bin/kubelet',
      '--a=x y',
      '--b=$B',
      '--lit=$HOME',
      'one',
      'two three',
      '--evict=imagefs.available<5%',
      '',
      '',
      '--tab=a\tb',
    ],
  },
  {
    name: 'a drop-in in /etc hides the same name in /usr/lib; names apply in order across directories',
    files: {
      '/usr/lib/systemd/system/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet\n',
      '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf':
        '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --from=usr-lib\n',
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf':
        '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --from=etc $X\n',
      '/usr/lib/systemd/system/kubelet.service.d/20-env.conf': '[Service]\nEnvironment=X=--twenty\n',
      '/run/systemd/system/kubelet.service.d/15-env.conf': '[Service]\nEnvironment=X=--fifteen\n',
    },
    argv: ['/usr/bin/kubelet', '--from=etc', '--twenty'],
  },
  {
    name: 'a full unit in /etc replaces the one in /usr/lib entirely; @ and - prefixes',
    files: {
      '/usr/lib/systemd/system/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet --old\n',
      '/etc/systemd/system/kubelet.service': '[Service]\nExecStart=-@/opt/bin/kubelet kubelet --new\n',
    },
    argv: ['kubelet', '--new'],
  },
  {
    name: 'EnvironmentFile= globs, read in order',
    files: {
      '/etc/systemd/system/kubelet.service':
        '[Service]\nEnvironmentFile=-/etc/kubelet.d/*.env\nExecStart=/usr/bin/kubelet $A $B\n',
      '/etc/kubelet.d/10.env': 'A=--ten\nB=--ten-b\n',
      '/etc/kubelet.d/20.env': 'B=--twenty-b\n',
    },
    argv: ['/usr/bin/kubelet', '--ten', '--twenty-b'],
  },
];

// How each service's health is checked, from how it is started.
import { describe, expect, it } from 'vitest';
import { containerdHealth, describeHealth, etcdHealth, serviceHealth } from '../../src/core/health/service-health.js';
import { memoryFiles } from '../helpers/fake-host/index.js';

// KubeKey's /etc/etcd.env (its template's variables), as etcd reads them.
const KUBEKEY_ETCD_ENV = {
  ETCD_DATA_DIR: '/var/lib/etcd',
  ETCD_ADVERTISE_CLIENT_URLS: 'https://192.168.123.14:2379',
  ETCD_LISTEN_CLIENT_URLS: 'https://192.168.123.14:2379,https://127.0.0.1:2379',
  ETCD_CERT_FILE: '/etc/ssl/etcd/ssl/member-node4.pem',
  ETCD_KEY_FILE: '/etc/ssl/etcd/ssl/member-node4-key.pem',
  ETCD_TRUSTED_CA_FILE: '/etc/ssl/etcd/ssl/ca.pem',
};

describe('etcd', () => {
  it("KubeKey's etcd: the first client URL from the environment, with its certificate", () => {
    expect(etcdHealth(['/usr/local/bin/etcd'], KUBEKEY_ETCD_ENV)).toEqual({
      kind: 'http',
      url: 'https://192.168.123.14:2379/health',
      tls: {
        cert: '/etc/ssl/etcd/ssl/member-node4.pem',
        key: '/etc/ssl/etcd/ssl/member-node4-key.pem',
        ca: '/etc/ssl/etcd/ssl/ca.pem',
      },
    });
  });

  it('a flag wins over the variable; a wildcard address is this node; plain http has no certificate', () => {
    expect(etcdHealth(['/usr/local/bin/etcd', '--listen-client-urls=http://0.0.0.0:2379'], KUBEKEY_ETCD_ENV)).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:2379/health',
    });
    expect(etcdHealth(['/usr/local/bin/etcd'], {})).toEqual({ kind: 'http', url: 'http://localhost:2379/health' });
  });

  it('a client URL that is not one is a problem, not a guess', () => {
    expect(etcdHealth(['etcd', '--listen-client-urls', 'not a url'], {})).toHaveProperty('problem');
  });
});

describe('containerd', () => {
  it('its socket from [grpc] address, default when the config says none or is missing', async () => {
    const files = memoryFiles({
      '/etc/containerd/config.toml': 'version = 2\n[grpc]\n  address = "/run/k8s/containerd.sock"\n',
      '/etc/containerd/other.toml':
        'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "pause:3.9"\n',
    });
    expect(await containerdHealth(files, ['/usr/bin/containerd'])).toEqual({
      kind: 'socket',
      path: '/run/k8s/containerd.sock',
    });
    expect(await containerdHealth(files, ['/usr/bin/containerd', '--config', '/etc/containerd/other.toml'])).toEqual({
      kind: 'socket',
      path: '/run/containerd/containerd.sock',
    });
    expect(await containerdHealth(memoryFiles({}), ['/usr/bin/containerd'])).toEqual({
      kind: 'socket',
      path: '/run/containerd/containerd.sock',
    });
  });

  it('a config that is not TOML is a problem, said once', async () => {
    const files = memoryFiles({ '/etc/containerd/config.toml': '[grpc\naddress = \n' });
    expect(await containerdHealth(files, ['/usr/bin/containerd'])).toHaveProperty('problem');
  });
});

describe('other services', () => {
  it('docker and cri-dockerd by their sockets; an unknown one alive for its window, or the URL given', async () => {
    const files = memoryFiles({});
    expect(await serviceHealth(files, 'docker', ['/usr/bin/dockerd', '-H', 'fd://'], {})).toEqual({
      kind: 'socket',
      path: '/var/run/docker.sock',
    });
    expect(
      await serviceHealth(
        files,
        'cri-docker',
        ['/usr/bin/cri-dockerd', '--container-runtime-endpoint', 'unix:///run/cri.sock'],
        {},
      ),
    ).toEqual({ kind: 'socket', path: '/run/cri.sock' });
    const alive = await serviceHealth(files, 'node-agent', ['/opt/agent/bin/agent'], {});
    expect(describeHealth(alive as never)).toBe('alive for 10 s (no health endpoint known; --health-url gives one)');
    expect(
      await serviceHealth(files, 'node-agent', ['/opt/agent/bin/agent'], {}, 'http://127.0.0.1:9100/healthz'),
    ).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:9100/healthz',
    });
  });
});

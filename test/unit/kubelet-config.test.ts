import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { healthzFromKubeletConfig, parseKubeletConfig } from '../../src/core/kubelet/config.js';

const LAYOUTS = path.join(import.meta.dirname, '../node/layouts');

// What kubeadm 1.28 writes (kubeadm init), with a kubespray-style eviction block and comments added.
const KUBEADM = `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
# kubespray
evictionHard:
  memory.available: "100Mi"   # keep some
  nodefs.available: 10%
  'imagefs.available': '15%'
tlsCipherSuites: []
`;

// Plain YAML, as kubeadm and the installers write it.
const PLAIN = [
  KUBEADM,
  '',
  '# only a comment\n',
  '---\na: 1\n',
  'a:\n  - x\n  - 2\nb:\n-\n  c: d\n- ~\n',
  'n: [1]\n'.replace('[1]', '[]'),
  "q: 'it''s'\nd: \"x # y\"\ne: a#b\nf: a # c\ng:\nh: # c\n  i: 1\n",
  'ints: 0o17\nhex: 0x1F\nneg: -3\nplus: +4\nbig: 12345678901234567890\nlead: 007\n',
  'f1: 1.5\nf2: .5\nf3: 1e3\nf4: -2.5E-2\nf5: 1.\ninf: .inf\nninf: -.Inf\nnan: .NaN\n',
  'b1: true\nb2: False\nb3: TRUE\nb4: yes\nb5: on\nn1: null\nn2: ~\nn3: NULL\ns: 1_000\nt: 12:30\n',
  'path: /var/lib/kubelet\nurl: http://x:1/y\nspace: a b  c\n',
];

// Valid YAML beyond that, and YAML that is not valid.
const OTHER = [
  'a: {b: 1}\n',
  'a: [1, 2]\n',
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: |\n  text\n',
  'a: >\n  text\n',
  'a: b\n  c\n',
  'a: 1\na: 2\n',
  'a: 1\n---\nb: 2\n',
  '- a: 1\n',
  'a:\n\tb: 1\n',
  'a: "x\\ty"\n',
  'a: 1\n b: 2\n',
  '  a: 1\n',
  'a: b: c\n',
  'a: [\n',
  'a: "open\n',
  '? a\n: b\n',
  'just text\n',
  'a: @x\n',
  'a:\n  b: 1\n c: 2\n',
];

/** What the config reader should give: the yaml package (YAML 1.2's core schema) is the reference. */
function reference(text: string): { doc: unknown; problem?: boolean } {
  try {
    const doc: unknown = parse(text);
    return { doc: doc && typeof doc === 'object' ? doc : {} };
  } catch {
    return { doc: {}, problem: true };
  }
}

describe("kubelet's config", () => {
  it('is typed as YAML 1.2 types it: durations, quantities and percentages stay strings', () => {
    const { doc, problem } = parseKubeletConfig(KUBEADM);
    expect(problem).toBeUndefined();
    expect(doc).toMatchObject({
      cgroupDriver: 'systemd',
      healthzPort: 10248,
      rotateCertificates: true,
      authentication: { anonymous: { enabled: false }, webhook: { cacheTTL: '0s' } },
      clusterDNS: ['10.96.0.10'],
      logging: { flushFrequency: 0, options: { json: { infoBufferSize: '0' } } },
      evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '10%', 'imagefs.available': '15%' },
      memorySwap: {},
      tlsCipherSuites: [],
    });
    expect(parseKubeletConfig('a: yes\nb: on\nc: 10s\nd: 1_000\ne: 12:30\n').doc).toEqual({
      a: 'yes',
      b: 'on',
      c: '10s',
      d: '1_000',
      e: '12:30',
    });
  });

  it('gives what the yaml package gives, or a reason when that refuses the text', () => {
    for (const text of [...PLAIN, ...OTHER]) {
      const want = reference(text);
      const got = parseKubeletConfig(text);
      expect(got.doc, text).toEqual(want.doc);
      if (want.problem) expect(got.problem, text).toMatch(/^kubelet config is not valid YAML: \S/);
      else expect(got.problem, text).toBeUndefined();
    }
  });

  it("reads every test layout's kubelet config as the yaml package does", () => {
    const configs = fs
      .readdirSync(LAYOUTS)
      .flatMap((layout) =>
        ['var/lib/kubelet/config.yaml', 'etc/kubernetes/kubelet-config.yaml'].map((f) =>
          path.join(LAYOUTS, layout, 'files', f),
        ),
      )
      .filter((f) => fs.existsSync(f));
    expect(configs.length).toBeGreaterThan(2);
    for (const file of configs) {
      const text = fs.readFileSync(file, 'utf8');
      expect(parseKubeletConfig(text), file).toEqual({ doc: parse(text) });
    }
  });

  it("reads healthz's address and port, kubelet's defaults where absent or unreadable", () => {
    expect(healthzFromKubeletConfig('healthzBindAddress: 0.0.0.0\nhealthzPort: 10249\n')).toEqual({
      address: '0.0.0.0',
      port: 10249,
      url: 'http://127.0.0.1:10249/healthz',
    });
    expect(healthzFromKubeletConfig('')).toMatchObject({ port: 10248, url: 'http://127.0.0.1:10248/healthz' });
    expect(healthzFromKubeletConfig('a: 1\n---\nb: 2\n')).toMatchObject({
      port: 10248,
      problem: expect.stringMatching(/^kubelet config is not valid YAML: .*single document/),
    });
  });
});

import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/core/systemd/env-file.js';

const parse = (text: string) => Object.fromEntries(parseEnvFile(text, '/f').assignments.map((a) => [a.name, a.value]));

describe('EnvironmentFile syntax (systemd load_env_file)', () => {
  it.each([
    [
      'kubeadm >= 1.12 (Go %q)',
      'KUBELET_KUBEADM_ARGS="--cgroup-driver=systemd --pod-infra-container-image=registry.k8s.io/pause:3.9"\n',
      { KUBELET_KUBEADM_ARGS: '--cgroup-driver=systemd --pod-infra-container-image=registry.k8s.io/pause:3.9' },
    ],
    [
      'kubeadm 1.11 (unquoted)',
      'KUBELET_KUBEADM_ARGS=--cgroup-driver=systemd --network-plugin=cni\n',
      { KUBELET_KUBEADM_ARGS: '--cgroup-driver=systemd --network-plugin=cni' },
    ],
    [
      'kind: no trailing newline',
      'KUBELET_EXTRA_ARGS=--runtime-cgroups=/system.slice/containerd.service',
      { KUBELET_EXTRA_ARGS: '--runtime-cgroups=/system.slice/containerd.service' },
    ],
    ['rpm: empty value', 'KUBELET_EXTRA_ARGS=\n', { KUBELET_EXTRA_ARGS: '' }],
    ['comments, blank lines, lines without =', '# c\n; c\n\n  # indented\nnot an assignment\nA=1\n', { A: '1' }],
    ['trailing whitespace dropped, inner kept, leading dropped', 'A=  x  y  \t\n', { A: 'x  y' }],
    ['unquoted backslash escapes and continuation', 'A=a\\ b\\\\c\\\nd\n', { A: 'a b\\cd' }],
    ['single quotes are literal and span lines', "A='x \\n $y\nz'\n", { A: 'x \\n $y\nz' }],
    ['double quotes: only \\" \\\\ \\` \\$ unescape', 'A="q\\"b\\\\s\\$v\\`t\\n"\n', { A: 'q"b\\s$v`t\\n' }],
    [
      'double-quoted continuation (kubespray)',
      'KUBELET_ARGS="--a=1 \\\n--b=2 \\\n <custom>"\n',
      { KUBELET_ARGS: '--a=1 --b=2  <custom>' },
    ],
    ['value continues after a closing quote', 'A="x"y\n', { A: 'xy' }],
    ['quote inside an unquoted value is literal', 'A=x"y"\n', { A: 'x"y"' }],
    ['later assignment wins', 'A=1\nA=2\n', { A: '2' }],
    ['spaces around the key', '  A  =1\n', { A: '1' }],
    ['CRLF line ends', 'A=1\r\nB=2\r\n', { A: '1', B: '2' }],
  ])('%s', (_, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('reports invalid names and unterminated quotes, with line numbers', () => {
    const r = parseEnvFile('GOOD=1\nBAD-NAME=2\nQ="open\n', '/etc/default/kubelet');
    expect(r.assignments.map((a) => [a.name, a.line])).toEqual([
      ['GOOD', 1],
      ['Q', 3],
    ]);
    expect(r.problems).toEqual([
      '/etc/default/kubelet:2: invalid variable name "BAD-NAME", ignored',
      '/etc/default/kubelet:3: unterminated quote in the value of Q',
    ]);
  });
});

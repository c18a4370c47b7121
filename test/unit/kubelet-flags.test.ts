import { describe, expect, it } from 'vitest';
import { flagWarnings, parseKubeletVersion } from '../../src/core/kubelet/flags.js';

describe('flags a kubelet version removed', () => {
  it('reads kubelet --version', () => {
    expect(parseKubeletVersion('Kubernetes v1.23.16\n')).toBe('1.23.16');
    expect(parseKubeletVersion('Kubernetes v1.28.3-eks-4f4795d')).toBe('1.28.3');
    expect(parseKubeletVersion('garbage')).toBeUndefined();
  });

  it('a removed flag on a kubelet that no longer has it: it will not start', () => {
    expect(flagWarnings(['/usr/bin/kubelet', '--network-plugin=cni', '--v=2'], '1.25.0')).toEqual([
      '--network-plugin: removed in kubelet 1.24 (with dockershim); this kubelet, v1.25.0, will not start with it',
    ]);
  });

  it('on an older kubelet: the upgrade that will break', () => {
    expect(
      flagWarnings(
        ['/usr/bin/kubelet', '--container-runtime=remote', '--pod-infra-container-image=pause:3.6'],
        '1.23.16',
      ),
    ).toEqual([
      '--container-runtime: removed in kubelet 1.27 (only the remote runtime is left); upgrading kubelet to 1.27 or ' +
        'later will fail with it',
      '--pod-infra-container-image: removed in kubelet 1.35 (the sandbox image comes from the container runtime); ' +
        'upgrading kubelet to 1.35 or later will fail with it',
    ]);
  });

  it('unknown version: still warns; other flags and argv[0] are not looked at', () => {
    expect(flagWarnings(['--network-plugin', '--node-ip=1.2.3.4'], undefined)).toEqual([]);
    expect(flagWarnings(['/usr/bin/kubelet', '--cni-bin-dir=/opt/cni/bin'], undefined)).toHaveLength(1);
  });
});

// Each [Service] setting of a unit: carried, named as not carried with what it means, or a reason to refuse.
import { describe, expect, it } from 'vitest';
import { resolveUnit } from '../../src/core/systemd/resolve-unit.js';
import { serviceSettings } from '../../src/core/systemd/service-settings.js';
import { CONTAINERD } from '../fixtures/units/service-units.js';
import { memoryFiles } from '../helpers/fake-host/index.js';

const settingsOf = async (files: Record<string, string>, name = 'kubelet.service') =>
  serviceSettings(await resolveUnit(memoryFiles(files), name));

describe('unit settings under supervisord', () => {
  it("kubeadm's kubelet unit: everything carried or without effect, nothing to say", async () => {
    const r = await settingsOf({
      '/usr/lib/systemd/system/kubelet.service':
        '[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\nStartLimitInterval=0\nRestartSec=10\n' +
        'CPUAccounting=true\nMemoryAccounting=true\n',
    });
    expect(r).toEqual({ notCarried: [], refusal: null });
  });

  it(`containerd's unit: delegation and its task limit named, each with what it means; \
limits and kill mode carried`, async () => {
    const r = await settingsOf({ '/usr/lib/systemd/system/containerd.service': CONTAINERD }, 'containerd.service');
    expect(r.refusal).toBeNull();
    expect(r.notCarried).toEqual([
      'containerd.service: Delegate=yes is not carried: no cgroup subtree is delegated to it',
      "containerd.service: TasksMax=infinity is not carried: the limit is lost: it runs in supervisord's cgroup, " +
        "with supervisord's unit's limits",
    ]);
  });

  it(`a drop-in that sets LimitNOFILE is carried; one that empties a setting is not named; \
an unknown setting is named`, async () => {
    const r = await settingsOf({
      '/usr/lib/systemd/system/kubelet.service':
        '[Service]\nExecStart=/usr/bin/kubelet\nWorkingDirectory=/var/lib/kubelet\nMemoryMax=2G\n',
      '/etc/systemd/system/kubelet.service.d/20-limits.conf':
        '[Service]\nLimitNOFILE=1048576\nWorkingDirectory=\nFrobnicate=yes\n',
    });
    expect(r.notCarried).toEqual([
      "kubelet.service: MemoryMax=2G is not carried: the limit is lost: it runs in supervisord's cgroup, with " +
        "supervisord's unit's limits",
      'kubelet.service: Frobnicate=yes is not carried: kubesup-tui does not know this setting',
    ]);
  });

  it.each([
    ['Type=forking', /Type=forking: supervisord runs a program that stays in the foreground/],
    ['Type=oneshot', /Type=oneshot/],
    ['Type=dbus\nBusName=org.example', /Type=dbus/],
    ['DynamicUser=yes', /DynamicUser=yes: its user exists only while systemd runs it/],
    ['Sockets=kubelet.socket', /socket activation/],
  ])('%s is refused, with the reason', async (setting, reason) => {
    const r = await settingsOf({
      '/usr/lib/systemd/system/kubelet.service': `[Service]\nExecStart=/usr/bin/kubelet\n${setting}\n`,
    });
    expect(r.refusal).toMatch(reason);
  });
});

// The TUI's store with the real services over a node in memory: the wizard from detect to done, a
// failure rolled back, the monitor's data, selection and actions. No React here.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppServices } from '../../../src/cli/app-services.js';
import { parseCommandLine } from '../../../src/cli/args.js';
import { FaultCode } from '../../../src/core/supervisor/xmlrpc.js';
import { type AppStore, createAppStore } from '../../../src/store/app-store.js';
import { type FakeNode, fakeNode } from '../../helpers/fake-host/index.js';

const stores: AppStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.getState().actions.stopMonitor();
});

function storeOn(node: FakeNode, screen: 'detect' | 'monitor' = 'detect'): AppStore {
  const store = createAppStore(createAppServices(node.host, parseCommandLine([])), { screen: 'detect' });
  stores.push(store);
  if (screen === 'monitor') store.getState().actions.startMonitor();
  return store;
}

describe('the wizard', () => {
  it('detect, preview, confirm, apply step by step, done: kubelet runs under supervisord', async () => {
    const node = fakeNode('kubekey-centos7');
    const store = storeOn(node);
    const a = store.getState().actions;
    await a.runDetect();
    expect(store.getState().detection?.argv).toEqual(node.kubeletArgv);
    await a.toPreview();
    expect(store.getState()).toMatchObject({ screen: 'preview', previewTab: 0 });
    expect(store.getState().plan?.files.map((f) => f.path)).toContain('/etc/supervisord.d/kubelet.ini');
    a.setPreviewTab(-1);
    expect(store.getState().previewTab).toBe(store.getState().plan!.files.length);
    a.askApply();
    expect(store.getState().confirm?.message).toMatch(/^Apply this plan to node4\? 12 steps/);
    store.getState().confirm!.run();
    expect(store.getState().screen).toBe('apply');
    await vi.waitFor(() => expect(store.getState().result).not.toBeNull());
    expect(store.getState()).toMatchObject({ screen: 'done', result: { ok: true } });
    expect(store.getState().steps.every((s) => s.status === 'done')).toBe(true);
    expect(node.supervisord.groups.get('kubelet')?.state).toBe('RUNNING');
  });

  it('a failed step: the apply screen stays, with the failure and each rollback line', async () => {
    const node = fakeNode('kubekey-centos7');
    const store = storeOn(node);
    const a = store.getState().actions;
    await a.runDetect();
    await a.toPreview();
    node.supervisord.faults.set('supervisor.addProcessGroup', FaultCode.SPAWN_ERROR);
    a.askApply();
    store.getState().confirm!.run();
    await vi.waitFor(() => expect(store.getState().result).not.toBeNull());
    const s = store.getState();
    expect(s).toMatchObject({ screen: 'apply', result: { ok: false, rolledBack: true } });
    expect(s.steps.find((x) => x.status === 'failed')).toMatchObject({
      id: 'add',
      detail: 'supervisord: injected fault 50',
    });
    expect(s.rollbackLines.length).toBeGreaterThan(3);
    expect(s.rollbackLines.every((l) => l.startsWith('✓'))).toBe(true);
  });

  it('not root: apply is refused before anything changes', async () => {
    const node = fakeNode('kubekey-centos7', { isRoot: false });
    const store = storeOn(node);
    await store.getState().actions.runDetect();
    await store.getState().actions.toPreview();
    store.getState().actions.askApply();
    expect(store.getState()).toMatchObject({
      confirm: null,
      notice: { ok: false, text: 'must run as root to change the node' },
    });
  });

  it('a refusal on planning stays on detect, saying why', async () => {
    const node = fakeNode('kubekey-centos7');
    node.files.put('/etc/supervisord.d/kubelet.ini', '[program:kubelet]\ncommand=/etc/kubernetes/kubelet.sh\n');
    const store = storeOn(node);
    await store.getState().actions.toPreview();
    expect(store.getState()).toMatchObject({
      screen: 'detect',
      error: expect.stringMatching(/^no migration: a program for kubelet already exists/),
    });
  });
});

describe('the monitor', () => {
  it('shows the programs, follows the selected one, and restarts it after y', async () => {
    const node = fakeNode('kubekey-centos7');
    const store = storeOn(node, 'monitor');
    await vi.waitFor(async () => {
      await node.clock.advance(250);
      expect(store.getState().monitor?.programs.map((p) => p.name)).toEqual(['node-exporter']);
    });
    const pid = store.getState().monitor?.programs[0]?.pid;
    store.getState().actions.askAction('restart');
    expect(store.getState().confirm?.message).toBe('restart node-exporter?');
    store.getState().confirm!.run();
    await vi.waitFor(() => expect(store.getState().notice).toEqual({ text: 'node-exporter: restarted', ok: true }));
    await vi.waitFor(async () => {
      await node.clock.advance(250);
      expect(store.getState().monitor?.programs[0]?.pid).not.toBe(pid);
    });
  });

  it(`an action's result goes after a few seconds,\
 or at once at the next crash; the session keeps each action`, async () => {
    const node = fakeNode('kubekey-centos7');
    const store = storeOn(node, 'monitor');
    await vi.waitFor(async () => {
      await node.clock.advance(250);
      expect(store.getState().monitor?.programs.map((p) => p.name)).toEqual(['node-exporter']);
    });
    const act = async (action: 'restart' | 'stop' | 'start', message: string) => {
      store.getState().actions.askAction(action);
      store.getState().confirm!.run();
      await vi.waitFor(() => expect(store.getState().notice).toEqual({ text: message, ok: true }));
    };
    await act('restart', 'node-exporter: restarted');
    await node.clock.advance(4000);
    expect(store.getState().notice).not.toBeNull();
    await node.clock.advance(1500);
    expect(store.getState().notice).toBeNull();

    await act('restart', 'node-exporter: restarted');
    await node.clock.advance(300);
    expect(store.getState().notice).not.toBeNull();
    node.supervisord.crash('node-exporter');
    node.files.touch('/var/log/supervisor/supervisord.log');
    // Well before its few seconds: the crash is news, the old result is not.
    await node.clock.advance(1000);
    expect(store.getState().notice).toBeNull();
    expect(store.getState().monitorActions.map((a) => [a.action, a.program, a.ok])).toEqual([
      ['restart', 'node-exporter', true],
      ['restart', 'node-exporter', true],
    ]);
  });

  it('supervisord not reachable at all: one line on the monitor saying why', async () => {
    const node = fakeNode('kubekey-centos7');
    await node.files.remove('/etc/supervisord.conf');
    node.supervisord.stop();
    const store = storeOn(node, 'monitor');
    // The store's redraw batching runs on the node's clock: time moves on until the batch is shown.
    await vi.waitFor(async () => {
      await node.clock.advance(250);
      expect(store.getState().monitor?.problem).toMatch(/supervisord is not installed or has no config file/);
    });
  });
});

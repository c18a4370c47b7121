// kubelet starts with the node's current files: the line kubesup-tui prints for the wrapper at each start is
// what systemd would run now (read by bash exactly as printed), and a unit that cannot be read says why.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/core/detect/detect.js';
import { readJournal } from '../../../src/core/migration/journal/journal.js';
import { planMigration } from '../../../src/core/migration/plan/plan.js';
import {
  currentStartLine,
  renderStartLine,
  startLinePaths,
  startLineWarning,
} from '../../../src/core/migration/plan/start-line.js';
import { TOOL_DIR } from '../../../src/core/migration/plan/tool-copy.js';
import { beginMigration, rollBack } from '../../../src/core/migration/session.js';
import { fakeNode, planOn, SINGLE_FILE } from '../../helpers/fake-host/index.js';

const FLAGS = '/var/lib/kubelet/kubeadm-flags.env';

/** "$@" and one variable, as bash has them after evaluating the line. */
function evaluated(text: string, variable: string): { argv: string[]; value: string } {
  const r = spawnSync('bash', ['-c', `eval "$(cat)"; printf '%s\\0' "$${variable}" "$@"`], {
    input: text,
    encoding: 'utf8',
  });
  const [value, ...argv] = r.stdout.split('\0').slice(0, -1);
  return { argv, value: value as string };
}

describe('the start line', () => {
  it(`is the command line systemd would run now, flags changed since included,\
 and bash reads it back exactly`, async () => {
    const node = fakeNode('kubeadm-ubuntu');
    const before = await currentStartLine(node.files, 'kubelet.service', 'worker-ubuntu');
    expect(before).toMatchObject({ ok: true, argv: node.kubeletArgv });
    // kubeadm upgrade rewrites the flags file, with a value that needs quoting.
    node.files.put(FLAGS, `KUBELET_KUBEADM_ARGS="--v=4 --node-labels='a=b c'"\nWEIRD='it''s "quoted" $HOME'\n`);
    const now = await currentStartLine(node.files, 'kubelet.service', 'worker-ubuntu');
    if (!now.ok) throw new Error(now.reason);
    expect(now.argv).toContain('--v=4');
    const back = evaluated(renderStartLine(now), 'WEIRD');
    expect(back.argv).toEqual(now.argv);
    expect(back.value).toBe(now.env.WEIRD);
    expect(now.env.PATH).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });

  it('a unit systemd would refuse to start gives the reason instead', async () => {
    const node = fakeNode('kubeadm-ubuntu');
    const dropIn = '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf';
    node.files.put(dropIn, `${node.files.text(dropIn)}\nEnvironmentFile=/etc/kubernetes/gone.env\n`);
    const line = await currentStartLine(node.files, 'kubelet.service', 'worker-ubuntu');
    expect(line).toMatchObject({ ok: false, reason: expect.stringMatching(/gone\.env .*does not exist/) });
  });

  it("the face's wrapper asks for it at each start, with migration day's line as the last resort", async () => {
    const node = fakeNode('kubeadm-ubuntu');
    const plan = await planMigration(await detect(node.host, { program: 'kubelet' }), node.files, {
      program: 'kubelet',
      now: new Date(node.clock.now()),
      tool: 'kubesup-tui test',
      self: SINGLE_FILE,
    });
    const wrapper = plan.files.find((f) => f.role === 'wrapper')?.content ?? '';
    expect(wrapper).toContain(
      'if line=$(timeout 60 /usr/lib/kubesup-tui/tool/kubesup-tui start-line --unit kubelet.service',
    );
    expect(wrapper).toContain('exec "$@"');
    expect(wrapper).toMatch(/^migration_day\(\) \{\n {2}export /m);
    expect(spawnSync('bash', ['-n'], { input: wrapper }).status).toBe(0);
  });

  it('a start that fell back is a warning for status, with the reason and what to do', async () => {
    const node = fakeNode('kubeadm-ubuntu');
    expect(await startLineWarning(node.files, 'kubelet', 'kubelet.service')).toBeNull();
    node.files.put('/var/lib/kubesup-tui/kubelet.start-line.failed', '1765000000 kubesup-tui: x.env does not exist\n');
    expect(await startLineWarning(node.files, 'kubelet', 'kubelet.service')).toBe(
      'kubelet started with its last good command line: kubelet.service could not be read ' +
        '(kubesup-tui: x.env does not exist); fix it, then run systemctl restart kubelet.service',
    );
  });

  it("rollback takes the wrapper's start-line files and the tool's copy away with it", async () => {
    const node = fakeNode('kubeadm-ubuntu');
    node.files.put('/usr/local/bin/kubesup-tui', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]), 0o755);
    const plan = await planOn(node, SINGLE_FILE);
    expect(plan.steps.map((s) => s.id)).toContain('copy-tool');
    const result = await beginMigration(node.host, plan, () => {}, {
      verifyTimeoutMs: 5000,
    });
    expect(result.ok, result.error ?? '').toBe(true);
    const { lastGood, inputs, failed } = startLinePaths('kubelet');
    // Byte for byte, executable: the wrapper runs it.
    expect(
      (await node.files.read(`${TOOL_DIR}/kubesup-tui`))?.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1])),
    ).toBe(true);
    expect((await node.host.writer.stat(`${TOOL_DIR}/kubesup-tui`))?.mode).toBe(0o755);
    for (const p of [lastGood, inputs, failed]) node.files.put(p, 'x\n');
    await rollBack(node.host, (await readJournal(node.files))!, () => undefined);
    for (const p of [lastGood, inputs, failed]) expect(await node.files.exists(p)).toBe(false);
    expect(await node.files.exists(`${TOOL_DIR}/kubesup-tui`)).toBe(false);
  });
});

// Control characters from the node (an ESC in kubelet's argv, a CR in a file) are shown escaped by every text
// output: they can neither clear the screen nor hide what follows.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { runDetect } from '../../src/cli/commands/detect.js';
import { runPlan } from '../../src/cli/commands/plan.js';
import { printEvents } from '../../src/cli/migration-lines.js';
import { detect } from '../../src/core/detect/detect.js';
import { errorLine, ToolError } from '../../src/core/errors.js';
import { escapeControls, oneLine } from '../../src/core/text.js';
import { fakeNode, planOn } from '../helpers/fake-host/index.js';

const HOSTILE = 'a\u001b[2J\u001b]0;owned\u0007\rb\u202ec\u009b';
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are what must not be there
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

describe('control characters from the node', () => {
  it('escapeControls: each shown as an escape, newlines and tabs kept', () => {
    expect(escapeControls(`${HOSTILE}\n\tx`)).toBe('a\\x1b[2J\\x1b]0;owned\\x07\\rb\\u202ec\\x9b\n\tx');
  });

  it('detect, plan, migration lines and error lines print them escaped', async () => {
    const node = fakeNode('kubekey-centos7');
    const flags = '/var/lib/kubelet/kubeadm-flags.env';
    node.files.put(flags, `KUBELET_KUBEADM_ARGS="--cgroup-driver=systemd --node-labels=${HOSTILE}"\n`);
    const kubelet = node.procs.named('kubelet')[0] as number;
    const record = node.procs.table.get(kubelet)!;
    node.procs.table.set(kubelet, { ...record, argv: [...(record.argv ?? []), `--node-labels=${HOSTILE}`] });
    let printed = '';
    const out = (t: string) => {
      printed += t;
    };
    await runDetect(node.host, parseCommandLine(['detect']), out);
    await runPlan(node.host, parseCommandLine(['plan']), out).catch((e: Error) => out(errorLine(e)));
    printEvents([], out)({ type: 'rollback-step', title: `restore /etc/${HOSTILE}`, ok: false, detail: HOSTILE });
    out(errorLine(new ToolError(`no such file: /etc/${HOSTILE}`)));
    expect(printed).toContain('--node-labels=a\\x1b[2J\\x1b]0;owned\\x07\\rb\\u202ec\\x9b');
    expect(printed).toContain('restore /etc/a\\x1b[2J');
    expect(printed).toContain('no such file: /etc/a\\x1b[2J');
    expect(printed).not.toMatch(RAW);
  });

  it("a drop-in whose name holds a newline stays inside the wrapper's comment: nothing of it runs", async () => {
    const node = fakeNode('kubeadm-ubuntu');
    const dir = '/usr/lib/systemd/system/kubelet.service.d';
    node.files.put(`${dir}/20-x\ntouch owned\n.conf`, '[Service]\nEnvironment=EXTRA=1\n');
    const wrapper = (await planOn(node)).files.find((f) => f.role === 'wrapper')?.content ?? '';
    expect(wrapper).toContain(`#   ${dir}/20-x\\ntouch owned\\n.conf\n`);
    expect(wrapper).not.toMatch(/^touch /m);
    expect(oneLine('a\tb\nc\u001b')).toBe('a\\tb\\nc\\x1b');
  });

  it('bytes of the command line that are not UTF-8: refused before anything changes, naming the argument', async () => {
    const node = fakeNode('kubekey-centos7');
    const kubelet = node.procs.named('kubelet')[0] as number;
    const record = node.procs.table.get(kubelet)!;
    // /proc/PID/cmdline read as UTF-8: the byte 0xff is what the tool sees as U+FFFD.
    const argv = [...(record.argv ?? []), `--node-labels=${Buffer.from([0x61, 0xff]).toString('utf8')}`];
    node.procs.table.set(kubelet, { ...record, argv });
    const d = await detect(node.host, { program: 'kubelet' });
    expect(d.refusal).toBe(
      `argument ${argv.length - 1} of kubelet's command line is not valid UTF-8: kubesup-tui cannot carry its ` +
        'bytes exactly, so it does not migrate kubelet',
    );
  });
});

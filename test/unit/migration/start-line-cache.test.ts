// A restart does not pay for a start of kubesup-tui when nothing the line came from changed: the wrapper's
// part that asks for the start line, run by bash against files in a temporary folder, with a stand-in for the
// tool that counts how often it is asked.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeNode, planOn, SINGLE_FILE } from '../../helpers/fake-host/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-start-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The wrapper's lines from `last_good=` to the end of their `if`, with its folder and the tool moved to `dir`. */
async function askingPart(): Promise<string> {
  const node = fakeNode('kubeadm-ubuntu');
  const plan = await planOn(node, SINGLE_FILE);
  const wrapper = plan.files.find((f) => f.role === 'wrapper')?.content ?? '';
  const start = wrapper.indexOf('last_good=');
  const end = wrapper.indexOf('\nfi\n', start) + 4;
  return wrapper
    .slice(start, end)
    .replaceAll('/var/lib/kubesup-tui', dir)
    .replace('/usr/lib/kubesup-tui/tool/kubesup-tui start-line --unit kubelet.service', `${dir}/tool`);
}

/** One start: what "$@" and FLAGS are after the part ran, and how often the tool was asked so far. */
function start(part: string): { argv: string[]; flags: string; asked: number } {
  const r = spawnSync(
    'bash',
    ['-c', `set -u; migration_day() { set -- day; }\n${part}\nprintf '%s\\0' "\${FLAGS-}" "$@"`],
    {
      encoding: 'utf8',
    },
  );
  expect(r.status, r.stderr).toBe(0);
  const [flags, ...argv] = r.stdout.split('\0').slice(0, -1);
  const asked = fs.existsSync(`${dir}/asked`) ? fs.readFileSync(`${dir}/asked`, 'utf8').length : 0;
  return { argv, flags: flags as string, asked };
}

describe("the wrapper's start line", () => {
  it('is asked for again only when a file it came from changed, appeared or went', async () => {
    const env = `${dir}/kubeadm-flags.env`;
    const dropIns = `${dir}/kubelet.service.d`;
    fs.mkdirSync(dropIns);
    fs.writeFileSync(env, '--v=2\n');
    // The stand-in prints what `kubesup-tui start-line` prints: exports, "$@" and the files it read.
    fs.writeFileSync(
      `${dir}/tool`,
      `#!/bin/bash\nprintf x >> ${dir}/asked\n` +
        // A unit may set any variable name: these must not change what the wrapper compares.
        `printf 'export seen=x known_inputs=y inputs=z\\n'\n` +
        `printf 'export FLAGS=%q\\nset -- kubelet %q\\nkubesup_inputs=(%q %q)\\n' "$(cat ${env})" "$(cat ${env})" ` +
        `${env} ${dropIns}\n`,
      { mode: 0o755 },
    );
    const part = await askingPart();
    expect(start(part)).toEqual({ argv: ['kubelet', '--v=2'], flags: '--v=2', asked: 1 });
    // The second start asks again (the first had no files to compare), and from then on nothing changed.
    expect(start(part).asked).toBe(2);
    expect(start(part)).toEqual({ argv: ['kubelet', '--v=2'], flags: '--v=2', asked: 2 });
    expect(start(part).asked).toBe(2);

    fs.writeFileSync(env, '--v=4\n'); // kubeadm upgrade rewrites the flags: same size, same second
    expect(start(part)).toEqual({ argv: ['kubelet', '--v=4'], flags: '--v=4', asked: 3 });
    expect(start(part).asked).toBe(3);

    fs.writeFileSync(`${dropIns}/20-new.conf`, '[Service]\n'); // a new drop-in
    expect(start(part).asked).toBe(4);
    expect(start(part).asked).toBe(4);
    fs.rmSync(env); // a file that goes: asked, and the tool's failure falls back to the last good line
    fs.writeFileSync(`${dir}/tool`, '#!/bin/bash\necho "x.env does not exist" >&2; exit 1\n');
    expect(start(part)).toMatchObject({ argv: ['kubelet', '--v=4'] });
    expect(fs.readFileSync(`${dir}/kubelet.start-line.failed`, 'utf8')).toMatch(/^\d+ x\.env does not exist\n$/);
  });

  it('a last good line from before this cache (no file list) is asked for, never reused blindly', async () => {
    fs.writeFileSync(`${dir}/tool`, `#!/bin/bash\nprintf x >> ${dir}/asked\necho 'set -- kubelet --new'\n`, {
      mode: 0o755,
    });
    fs.writeFileSync(`${dir}/kubelet.start-line`, 'set -- kubelet --old\n');
    const part = await askingPart();
    expect(start(part)).toMatchObject({ argv: ['kubelet', '--new'], asked: 1 });
    expect(start(part)).toMatchObject({ argv: ['kubelet', '--new'], asked: 2 });
  });
});

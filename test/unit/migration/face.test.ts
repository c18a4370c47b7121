// kubelet.service as the face of the supervised kubelet: what its drop-in resets and runs, how its script maps
// klog's severities to journal priorities, and that the node's own reading of the unit does not see it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/core/detect/detect.js';
import { beginMigration, openSession } from '../../../src/core/migration/session.js';
import { type FakeLayout, fakeNode, planOn } from '../../helpers/fake-host/index.js';

const DROP_IN = '/etc/systemd/system/kubelet.service.d/zz-kubesup-tui-face.conf';
const HELPER = '/etc/kubernetes/kubelet-systemd.sh';

describe.each<[FakeLayout, string, string]>([
  ['kubekey-centos7', 'supervisord.service', '/etc/supervisord.conf'],
  ['kubeadm-ubuntu', 'supervisor.service', '/etc/supervisor/supervisord.conf'],
])('the face on %s', (layout, supervisorUnit, config) => {
  it('resets everything the unit ran and runs the script: start, follow (main process), stop', async () => {
    const plan = await planOn(fakeNode(layout));
    const dropIn = plan.files.find((f) => f.path === DROP_IN)?.content ?? '';
    for (const reset of ['ExecStartPre=', 'ExecStart=', 'ExecStop=', 'Environment=', 'EnvironmentFile='])
      expect(dropIn).toContain(`\n${reset}\n`);
    // After the resets: each of the face's own lines comes after the empty one it needs.
    expect(dropIn.indexOf(`ExecStart=/bin/bash ${HELPER} follow`)).toBeGreaterThan(dropIn.indexOf('\nExecStart=\n'));
    expect(dropIn).toContain(`ExecStartPre=/bin/bash ${HELPER} start\n`);
    expect(dropIn).toContain(`ExecStop=/bin/bash ${HELPER} stop\n`);
    expect(dropIn).toMatch(new RegExp(`^After=${supervisorUnit}$`, 'm'));
    expect(dropIn).toMatch(/^SyslogIdentifier=kubelet$/m);
    const helper = plan.files.find((f) => f.path === HELPER);
    expect(helper?.mode).toBe(0o755);
    expect(helper?.content).toContain(`supervisorctl -c ${config} "$@"`);
    expect(spawnSync('bash', ['-n'], { input: helper?.content }).status).toBe(0);
  });

  it(`stop asks supervisord only when the unit's main process is the face's forwarder (sed), not the unit's \
own kubelet still running during a migration`, async () => {
    const helper = (await planOn(fakeNode(layout))).files.find((f) => f.path === HELPER)?.content ?? '';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-face-'));
    fs.writeFileSync(`${dir}/supervisorctl`, `#!/bin/sh\necho "$@" >> ${dir}/calls\n`, { mode: 0o755 });
    const calls = () => (fs.existsSync(`${dir}/calls`) ? fs.readFileSync(`${dir}/calls`, 'utf8') : '');
    const stop = (mainPid: number) =>
      spawnSync('bash', ['-c', helper, 'face', 'stop'], {
        env: { PATH: `${dir}:${process.env.PATH}`, MAINPID: String(mainPid) },
      }).status;
    const kubelet = spawn('sleep', ['60']);
    const forwarder = spawn('sed', ['-u', 'p'], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      expect(stop(kubelet.pid as number)).toBe(0);
      expect(calls()).toBe('');
      expect(stop(forwarder.pid as number)).toBe(0);
      expect(calls()).toBe(`-c ${config} stop kubelet\n`);
    } finally {
      kubelet.kill();
      forwarder.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`systemctl kill (the forwarder killed, no MAINPID) reaches the supervised kubelet: TERM restarts it, KILL and \
ABRT are passed on, an end by itself leaves it running`, async () => {
    const helper = (await planOn(fakeNode(layout))).files.find((f) => f.path === HELPER)?.content ?? '';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-face-'));
    fs.writeFileSync(`${dir}/supervisorctl`, `#!/bin/sh\necho "$@" >> ${dir}/calls\n`, { mode: 0o755 });
    const stopAfter = (exitCode: string, exitStatus: string) => {
      fs.rmSync(`${dir}/calls`, { force: true });
      const r = spawnSync('bash', ['-c', helper, 'face', 'stop'], {
        env: { PATH: `${dir}:${process.env.PATH}`, EXIT_CODE: exitCode, EXIT_STATUS: exitStatus },
        encoding: 'utf8',
      });
      const calls = fs.existsSync(`${dir}/calls`) ? fs.readFileSync(`${dir}/calls`, 'utf8') : '';
      return { status: r.status, calls, stderr: r.stderr };
    };
    try {
      const term = stopAfter('killed', 'TERM');
      expect(term).toMatchObject({ status: 0, calls: `-c ${config} stop kubelet\n-c ${config} start kubelet\n` });
      expect(term.stderr).toMatch(/kubelet\.service was killed \(SIGTERM\): supervisorctl restart kubelet/);
      expect(stopAfter('killed', 'KILL')).toMatchObject({ status: 0, calls: `-c ${config} signal KILL kubelet\n` });
      expect(stopAfter('dumped', 'ABRT')).toMatchObject({ status: 0, calls: `-c ${config} signal ABRT kubelet\n` });
      expect(stopAfter('killed', 'PIPE')).toMatchObject({ status: 0, calls: '' });
      expect(stopAfter('exited', '0')).toMatchObject({ status: 0, calls: '' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after the migration, detection and drift read the unit as it says, not its face', async () => {
    const node = fakeNode(layout);
    expect((await beginMigration(node.host, await planOn(node), () => undefined, { verifyTimeoutMs: 5000 })).ok).toBe(
      true,
    );
    const d = await detect(node.host, { program: 'kubelet' });
    expect(d.configured?.argv).toEqual(node.kubeletArgv);
    expect(d.configured?.files).not.toContain(DROP_IN);
    expect((await openSession(node.host)).kind).toBe('migrated');
  });
});

describe("the face's log forwarder", () => {
  it("gives each klog line its severity as a journal priority, and others info's", async () => {
    const plan = await planOn(fakeNode('kubeadm-ubuntu'));
    const helper = plan.files.find((f) => f.path === HELPER)?.content ?? '';
    const sed = helper.match(/exec (sed -u .*?) < </)?.[1];
    expect(sed).toBeDefined();
    const lines = [
      'I1206 19:55:02.123456    1234 kubelet.go:42] "SyncLoop"',
      'W1206 19:55:02.123456    1234 reflector.go:424] "watch ended"',
      'E1206 19:55:02.123456    1234 pod_workers.go:1294] "Error syncing pod"',
      'F1206 19:55:02.123456    1234 server.go:1] "fatal"',
      'panic: runtime error',
      '<3> not a priority',
      'Information without a date',
    ];
    const out = spawnSync('bash', ['-c', sed as string], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
    expect(out.stdout.split('\n').slice(0, -1)).toEqual([
      `<6>${lines[0]}`,
      `<4>${lines[1]}`,
      `<3>${lines[2]}`,
      `<2>${lines[3]}`,
      `<2>${lines[4]}`,
      `<6>${lines[5]}`,
      lines[6],
    ]);
  });
});

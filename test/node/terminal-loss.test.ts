// The SSH link drops during the TUI's apply (its terminal goes away: SIGHUP, then EIO on every write): the
// migration goes on to its verified end, its progress in the journal and the log, and no kubesup-tui is left
// running. A stop asked for with q and y rolls back instead, byte for byte.
import { describe, expect, it } from 'vitest';
import { kubesup, kubesupArgv } from '../helpers/cli-in-node.js';
import { snapshot } from '../helpers/node-snapshot.js';
import { TmuxSession } from '../helpers/tmux.js';
import { withTestNode } from '../helpers/with-test-node.js';
import type { TestNode } from './test-node.js';

const healthy = 'curl -sf 127.0.0.1:10248/healthz';
const ROOTS = [
  '/etc/systemd',
  '/etc/kubernetes',
  '/etc/supervisord.conf',
  '/etc/supervisord.d',
  '/usr/lib/systemd/system',
  '/var/lib/kubelet',
];

/** The TUI on a fresh terminal, through the wizard up to a confirmed apply (each systemctl change slowed). */
async function applyInTui(node: TestNode): Promise<TmuxSession> {
  await node.sh('mkdir -p /run/systemctl-standin && echo 800 > /run/systemctl-standin/delay-ms');
  const tui = new TmuxSession(node.enterArgv(['env', 'TERM=xterm-256color', ...kubesupArgv()]), {
    columns: 100,
    rows: 30,
  });
  try {
    await tui.waitFor((x) => x.includes('running, pid') && x.includes('1 detect'), 'the detect screen');
    tui.send('Enter');
    await tui.waitFor((x) => x.includes('2 preview'), 'the preview');
    tui.send('Enter');
    await tui.waitFor((x) => x.includes('[y/N]'), 'the confirmation');
    tui.send('y');
    return tui;
  } catch (error) {
    tui.kill();
    throw error;
  }
}

const journalState = async (node: TestNode) =>
  /"state": "([a-z-]+)"/.exec(await node.sh('cat /var/lib/kubesup-tui/journal.json 2>/dev/null || true'))?.[1];

/** kubelet's plan on the reference node: 12 steps, the resident agent's three (write, compile, start) and the
 * tool's copy. */
const STEPS = 16;

describe('the terminal goes away during apply (reference node)', () => {
  const node = withTestNode('kubekey-centos7', (n) =>
    n.waitFor(`test -S /var/run/supervisor/supervisor.sock && ${healthy}`),
  );
  let before = '';

  // After the files (5), and after supervisord has reread its config (11).
  it.each([5, 11])(
    `dropped after step %i of ${STEPS}: within 30 s the node is migrated and healthy (or rolled back byte for byte), \
no kubesup-tui left`,
    async (after) => {
      before ||= await snapshot(node, ROOTS);
      const tui = await applyInTui(node);
      try {
        await tui.waitFor((x) => x.includes(`✓ [${after}/${STEPS}]`), `step ${after} done`);
      } finally {
        tui.kill();
      }
      // The process carries on without its terminal, to the verified end or to its rollback, then exits.
      await node.waitFor("! pgrep -f 'kubesup-tui(-linux-x6[4]|[.]js)'", 30_000);
      const log = await node.sh('tail -n 40 /var/lib/kubesup-tui/migration.log');
      await node.waitFor(healthy, 30_000);
      if (new RegExp(`\\[${STEPS}/${STEPS}\\] verify: .*: ok`).test(log)) {
        expect(await node.sh('grep -o \'"state": "[a-z-]*"\' /var/lib/kubesup-tui/journal.json')).toBe(
          '"state": "migrated"\n',
        );
        await node.sh('rm -f /run/systemctl-standin/delay-ms');
        expect((await kubesup(node, ['rollback', '--yes'])).exitCode).toBe(0);
        await node.waitFor(healthy, 30_000);
      } else {
        // A step failed on its own after the drop: then the rollback must have left nothing behind.
        console.info(`the migration rolled back after the terminal went away:\n${log}`);
        expect(log).toMatch(/^.* rolled back: kubelet runs under systemd again/m);
        await node.sh('rm -f /run/systemctl-standin/delay-ms');
      }
      expect(await snapshot(node, ROOTS)).toBe(before);
    },
  );

  it('q then y during apply: stops after the current step and rolls back, byte for byte', async () => {
    before ||= await snapshot(node, ROOTS);
    const tui = await applyInTui(node);
    try {
      await tui.waitFor((x) => x.includes(`✓ [6/${STEPS}]`), 'step 6 done');
      tui.send('q');
      await tui.waitFor((x) => x.includes('Stop the migration?'), 'the stop question');
      tui.send('y');
      const s = await tui.waitFor((x) => x.includes('was rolled back'), 'the rollback', 60_000);
      // Wrapped to the terminal's width where it falls.
      expect(s.replace(/\s+/g, ' ')).toContain('stopped by the operator before this step');
      tui.send('q');
      await tui.waitFor((x) => x.includes('[exit 0]'), 'kubesup-tui exiting');
    } finally {
      tui.kill();
    }
    await node.sh('rm -f /run/systemctl-standin/delay-ms');
    await node.waitFor(healthy, 30_000);
    expect(await journalState(node)).toBeUndefined();
    expect(await snapshot(node, ROOTS)).toBe(before);
  });

  it('migrate --yes, then rollback --yes, each from a shell that goes away: both finish', async () => {
    before ||= await snapshot(node, ROOTS);
    await node.sh('mkdir -p /run/systemctl-standin && echo 800 > /run/systemctl-standin/delay-ms');
    for (const [command, settled, shown] of [
      ['migrate', '"state": "migrated"', `[5/${STEPS}]`],
      ['rollback', 'rolled back: kubelet runs under systemd again', 'rollback: remove'],
    ] as const) {
      const seen = Number((await node.sh('wc -l < /var/lib/kubesup-tui/migration.log 2>/dev/null || echo 0')).trim());
      const shell = new TmuxSession(node.enterArgv(kubesupArgv(command, '--yes')), { columns: 100, rows: 30 });
      try {
        await shell.waitFor((x) => x.includes(shown), `${command} under way`);
      } finally {
        shell.kill();
      }
      const log = '/var/lib/kubesup-tui/migration.log';
      const done =
        command === 'migrate'
          ? `grep -q '${settled}' /var/lib/kubesup-tui/journal.json`
          : `tail -n +${seen + 1} ${log} | grep -q '${settled}'`;
      // Bounds, not expectations: with the other tiers running beside it (the fleet's three nodes), a rollback
      // through a systemctl slowed to 800 ms a call has taken over 30 s on CI's two cores.
      await node.waitFor(`${done} && ${healthy}`, 90_000);
      await node.waitFor("! pgrep -f 'kubesup-tui(-linux-x6[4]|[.]js)'", 20_000);
    }
    await node.sh('rm -f /run/systemctl-standin/delay-ms');
    expect(await snapshot(node, ROOTS)).toBe(before);
  }, 300_000);
});

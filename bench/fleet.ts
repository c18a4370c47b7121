/** 6. The fleet: ansible/playbooks/migrate.yml over SSH on three test nodes, one by one; each node's healthz gap. */
import fs from 'node:fs';
import path from 'node:path';
import { bringUpFleet } from '../test/fleet/fleet.js';
import { notes, row } from './common.js';

export async function benchFleet(): Promise<void> {
  process.stderr.write('fleet\n');
  const fleet = await bringUpFleet(['kubekey-centos7', 'kubeadm-ubuntu', 'kubespray-debian']);
  try {
    const t = performance.now();
    const run = await fleet.playbook('migrate');
    const seconds = (performance.now() - t) / 1000;
    if (run.code !== 0) throw new Error(`migrate.yml failed:\n${run.output.slice(-3000)}`);
    row('fleet: migrate.yml, 3 nodes one by one (serial 1), over SSH', `${seconds.toFixed(1)} s`, 'reference', null);
    const report = JSON.parse(fs.readFileSync(path.join(fleet.dir, 'kubesup-migrate.json'), 'utf8')) as Record<
      string,
      { result: string; healthz_gap_ms: string | number }
    >;
    for (const [node, r] of Object.entries(report))
      row(
        `fleet: ${node} healthz gap (${r.result})`,
        `${r.healthz_gap_ms} ms`,
        '< 1 s',
        Number(r.healthz_gap_ms) < 1000,
      );
    // The summary table as the playbook printed it, for the README.
    const table = /"msg": \[\n([\s\S]*?)\n\s*\]/.exec(run.output.slice(run.output.lastIndexOf('every node')))?.[1];
    if (table) {
      const lines = table.replace(/^\s*"|",?$/gm, '');
      process.stderr.write(`${lines}\n`);
      notes.push(`fleet summary, as migrate.yml printed it:\n\n  \`\`\`\n${lines.replace(/^/gm, '  ')}\n  \`\`\``);
    }
  } finally {
    await fleet.down();
  }
}

import { BIN } from '../test/helpers/cli-in-node.js';
import type { TestNode } from '../test/node/test-node.js';
import { fmt, nodeReady, QUICK, row, sleep, stats } from './common.js';

const PROBE = `
const http = require('http'); const fs = require('fs');
let firstFail = null, worst = 0, stop = false;
process.on('SIGTERM', () => { stop = true; });
(async function loop() {
  while (!stop) {
    const ok = await new Promise((r) => { \
const q = http.get('http://127.0.0.1:10248/healthz', { timeout: 500 }, (res) => { \
let b=''; res.on('data', (c) => b += c); res.on('end', () => r(b === 'ok')); }); \
q.on('error', () => r(false)); q.on('timeout', () => { q.destroy(); r(false); }); });
    const t = Date.now();
    if (!ok && firstFail === null) firstFail = t;
    if (ok && firstFail !== null) { worst = Math.max(worst, t - firstFail); firstFail = null; }
    await new Promise((r) => setTimeout(r, 10));
  }
  fs.writeFileSync('/run/probe-gap', String(firstFail === null ? worst : -1));
  process.exit(0);
})();`;

async function measureGap(node: TestNode, act: () => Promise<void>): Promise<number> {
  await node.sh(
    `cat > /run/probe.js <<'EOF'\n${PROBE}\nEOF\nsetsid node /run/probe.js </dev/null >/dev/null 2>&1 & echo $! > ` +
      `/run/probe.pid`,
  );
  await sleep(300);
  await act();
  await node.waitFor('curl -sf 127.0.0.1:10248/healthz', 60_000);
  await sleep(300);
  await node.sh('kill $(cat /run/probe.pid); for i in $(seq 1 50); do [ -e /run/probe-gap ] && break; sleep 0.1; done');
  return Number((await node.sh('cat /run/probe-gap; rm -f /run/probe-gap')).trim());
}

const MANUAL_INI = `[program:kubelet]
command=/etc/kubernetes/kubelet.sh run
user=root
process_name=%(program_name)s
numprocs=1
directory=/etc/kubernetes
priority=1
autostart=true
startsecs=3
startretries=3
autorestart=true
exitcodes=0
stopsignal=QUIT
stopwaitsecs=10
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=/var/log/kubelet/kubelet.log
stdout_logfile_maxbytes=10MB
stdout_logfile_backups=20
`;

// 3. Handover: the healthz gap of migrate --yes against the manual procedure, on fresh nodes, alternating.
export async function benchHandover(): Promise<void> {
  process.stderr.write('handover\n');
  const ours: number[] = [];
  const manual: number[] = [];
  const runs = QUICK ? 2 : 4;
  for (let i = 0; i < runs; i++) {
    const a = await nodeReady();
    try {
      const cmdline = (await a.sh("tr '\\0' ' ' < /proc/$(systemctl show -p MainPID --value kubelet)/cmdline")).trim();
      await a.sh(
        `mkdir -p /var/log/kubelet; cat > /etc/supervisord.d/kubelet.ini <<'EOF'\n${MANUAL_INI}EOF\n` +
          `printf '#!/bin/bash\\n%s\\n' '${cmdline}' > /etc/kubernetes/kubelet.sh; chmod a+x ` +
          `/etc/kubernetes/kubelet.sh`,
      );
      manual.push(
        await measureGap(
          a,
          async () =>
            void (await a.sh('systemctl disable kubelet; systemctl stop kubelet; systemctl restart supervisord', {
              timeoutMs: 120_000,
            })),
        ),
      );
    } finally {
      await a.down();
    }
    const b = await nodeReady();
    try {
      ours.push(
        await measureGap(b, async () => {
          const r = await b.exec(['node', BIN, 'migrate', '--yes'], { timeoutMs: 120_000 });
          if (r.exitCode !== 0) throw new Error(`migrate failed: ${r.stdout}${r.stderr}`);
        }),
      );
    } finally {
      await b.down();
    }
  }
  const ratio = stats(ours).median / stats(manual).median;
  row('healthz gap, manual procedure (disable; stop; restart supervisord)', fmt(manual, 'ms'), 'reference', null);
  row(
    'healthz gap, kubesup-tui migrate --yes',
    fmt(ours, 'ms'),
    '< 1 s, <= 1/3 of manual',
    stats(ours).max < 1000 && ratio <= 1 / 3,
  );
  row('  ratio to the manual procedure', `${ratio.toFixed(2)}x`, '<= 0.33x', ratio <= 1 / 3);
}

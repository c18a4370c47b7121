import { describe, expect, it } from 'vitest';
import { sessionSummary } from '../../src/cli/session-summary.js';
import type { Plan } from '../../src/core/migration/plan/plan.js';

const PLAN = {
  program: 'kubelet',
  createdAt: '2026-11-27T10:00:00.000Z',
  files: [{ path: '/etc/kubernetes/kubelet.sh' }, { path: '/etc/supervisord.d/kubelet.ini' }],
  steps: [{ id: 'copy-tool', kind: 'copy-files', copies: [{ from: '/tmp/k', path: '/usr/lib/kubesup-tui/tool/k' }] }],
} as unknown as Plan;

const STEPS = [
  { id: 'backup', title: 'back up', status: 'done' as const, ms: 3 },
  { id: 'verify', title: 'verify: kubelet RUNNING, healthz ok', status: 'done' as const, ms: 2100, detail: 'pid 77' },
];

describe('what the terminal keeps after the full screen', () => {
  it('a migration: each step, the healthz gap, the files, the backups and how to undo', () => {
    const text = sessionSummary({
      result: { ok: true, healthzGapMs: 53, error: null, rolledBack: false },
      plan: PLAN,
      steps: STEPS,
      rollbackLines: [],
      operation: 'migrate',
    });
    expect(text.split('\n')).toEqual([
      'kubesup-tui: kubelet runs under supervisord as [program:kubelet]',
      '  ✓ [1/2] back up (3 ms)',
      '  ✓ [2/2] verify: kubelet RUNNING, healthz ok: pid 77 (2100 ms)',
      '  healthz gap: 53 ms (how long kubelet did not answer)',
      '  files: /etc/kubernetes/kubelet.sh, /etc/supervisord.d/kubelet.ini, /usr/lib/kubesup-tui/tool/ (1 file)',
      '  backups: /var/lib/kubesup-tui/backups/2026-11-27T10-00-00-000Z/ · every line of it: ' +
        '/var/lib/kubesup-tui/migration.log',
      '  undo: kubesup-tui rollback --yes',
      '',
    ]);
  });

  it('a failure rolled back says so, with the reason and the rollback lines', () => {
    const text = sessionSummary({
      result: { ok: false, healthzGapMs: null, error: 'verify: healthz never answered', rolledBack: true },
      plan: PLAN,
      steps: [STEPS[0] as (typeof STEPS)[0], { id: 'verify', title: 'verify', status: 'failed', detail: 'timeout' }],
      rollbackLines: ['✓ restore /etc/supervisord.conf'],
      operation: 'migrate',
    });
    expect(text).toContain('kubesup-tui: the migration failed and was rolled back: verify: healthz never answered');
    expect(text).toContain('  ✗ [2/2] verify: timeout');
    expect(text).toContain('  rollback: ✓ restore /etc/supervisord.conf');
    expect(text).not.toContain('undo:');
  });

  it('nothing when the session did not change the node (the monitor only)', () => {
    expect(sessionSummary({ result: null, plan: null, steps: [], rollbackLines: [], operation: 'migrate' })).toBe('');
  });

  it('what was asked from the monitor: each action, when, and how it went, with or without a migration', () => {
    const at = new Date(2026, 10, 27, 10, 5, 9).getTime();
    const text = sessionSummary({
      result: null,
      plan: null,
      steps: [],
      rollbackLines: [],
      operation: 'migrate',
      monitorActions: [
        { time: at, action: 'restart', program: 'kubelet', ok: true, message: 'kubelet: restarted' },
        { time: at, action: 'stop', program: 'kubelet', ok: false, message: 'kubelet: stop failed: not running' },
      ],
    });
    expect(text).toBe(
      [
        'kubesup-tui: asked from the monitor:',
        '  ✓ 10:05:09 kubelet: restarted',
        '  ✗ 10:05:09 kubelet: stop failed: not running',
        '',
      ].join('\n'),
    );
  });
});

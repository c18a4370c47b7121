// `rollback --all --json` prints one document: each unit's inside, the top summing them up.
import { describe, expect, it } from 'vitest';
import { allOutcome, recordSteps, refusedOutcome, rollbackOutcome } from '../../src/cli/outcome.js';
import { ToolError } from '../../src/core/errors.js';

const rolledBack = (changed: boolean) => rollbackOutcome(true, changed, '/j', recordSteps(), 'kubelet');

describe('rollback --all as one document', () => {
  it('every unit back: ok, changed when any changed, rolled-back', () => {
    const doc = allOutcome([rolledBack(true), rolledBack(false)]);
    expect(doc).toMatchObject({ command: 'rollback', ok: true, changed: true, outcome: 'rolled-back', error: null });
    expect(doc.units).toHaveLength(2);
  });

  it('nothing changed: already-rolled-back', () => {
    expect(allOutcome([rolledBack(false)])).toMatchObject({ ok: true, changed: false, outcome: 'already-rolled-back' });
  });

  it('the first unit that failed decides the top: not ok, its outcome and error', () => {
    const refused = refusedOutcome('rollback', new ToolError('not now: etcd waits'));
    const doc = allOutcome([rolledBack(true), refused]);
    expect(doc).toMatchObject({ ok: false, changed: true, outcome: refused.outcome, error: 'not now: etcd waits' });
    expect(JSON.parse(JSON.stringify(doc)).units[1].error).toBe('not now: etcd waits');
  });
});

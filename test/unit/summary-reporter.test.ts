// The closing line CI reads must never say "0 failed" for a run that failed.
import { describe, expect, it } from 'vitest';
import { type ReportedSuite, tally } from '../helpers/summary-reporter.js';

const test = (state: string) => ({ result: () => ({ state }) });

function suite(state: string, tests: string[], inner: ReportedSuite[] = [], errors: unknown[] = []): ReportedSuite {
  const own = tests.map(test);
  return {
    state: () => state,
    errors: () => errors,
    children: {
      *allTests() {
        yield* own;
        for (const s of inner) yield* s.children.allTests();
      },
      *allSuites() {
        for (const s of inner) {
          yield s;
          yield* s.children.allSuites();
        }
      },
    },
  };
}

describe('the closing line', () => {
  it('counts tests by their result', () => {
    const m = suite('failed', ['passed', 'failed', 'skipped'], [suite('passed', ['passed'])]);
    expect(tally([m])).toEqual({ passed: 2, failed: 1, skipped: 1 });
  });

  it('counts a suite whose beforeAll threw as a failure, though its tests read skipped', () => {
    const m = suite('failed', [], [suite('failed', ['skipped', 'skipped'], [], [{ message: 'boom' }])]);
    expect(tally([m])).toEqual({ passed: 0, failed: 1, skipped: 2 });
  });

  it('counts a file that did not load, and errors outside any test', () => {
    expect(tally([suite('failed', [], [], [{ message: 'SyntaxError' }])], [{ message: 'unhandled' }]).failed).toBe(2);
  });

  it('counts a skipped suite as skipped only', () => {
    expect(tally([suite('skipped', [], [suite('skipped', ['skipped'])])])).toEqual({
      passed: 0,
      failed: 0,
      skipped: 1,
    });
  });
});

// Prints the plain closing line that CI reads ("N passed, N failed"), after vitest's own summary.
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/** The parts of vitest's reported tree the tally reads (a module is a suite too). */
export interface ReportedSuite {
  state(): string;
  errors(): ReadonlyArray<unknown>;
  children: {
    allTests(): Iterable<{ result(): { state: string } }>;
    allSuites(): Iterable<ReportedSuite>;
  };
}

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Counts tests by their result, and counts as one failure each suite or module that failed while none of its
 * tests did: a `beforeAll` that threw leaves its tests "skipped" (a test node that would not start), a file that
 * did not load has no tests at all. Errors outside any test count once each. A run that failed never reads
 * "0 failed".
 */
const failedSuite = (s: ReportedSuite) => s.state() === 'failed' || s.errors().length > 0;

export function tally(modules: ReadonlyArray<ReportedSuite>, unhandledErrors: ReadonlyArray<unknown> = []): Tally {
  const count: Tally = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
  for (const m of modules) {
    for (const t of m.children.allTests()) {
      const state = t.result().state;
      if (state === 'passed') count.passed++;
      else if (state === 'failed') count.failed++;
      else count.skipped++;
    }
    // The innermost failed suites only: a failure counted once, not again for each suite around it.
    for (const suite of [m, ...m.children.allSuites()]) {
      const failedTests = [...suite.children.allTests()].some((t) => t.result().state === 'failed');
      const failedInside = [...suite.children.allSuites()].some(failedSuite);
      if (failedSuite(suite) && !failedTests && !failedInside) count.failed++;
    }
  }
  return count;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const { passed, failed, skipped } = tally(modules as unknown as ReadonlyArray<ReportedSuite>, unhandledErrors);
    const line = `tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    // Last, after vitest's own summary, so that it is the run's closing line.
    process.once('exit', () => process.stdout.write(`\n${line}\n`));
  }
}

// Why a test cannot run on this machine (what to install), and the rule that CI never passes by skipping.
// Free of vitest, so that the benchmarks (bench/) can use the same checks.
import { type SupervisorRelease, skipRelease } from '../node/supervisor-releases.js';
import { missingPrerequisite } from '../node/test-node.js';
import { missingSystemdPrerequisite } from '../systemd/systemd-node.js';
import { missingCommand } from './commands.js';

export { missingCommand };

/**
 * Why a stand-in test node running `release` cannot be built here (what to install), or undefined; under
 * KUBESUP_REQUIRE_ALL=1 (CI) it throws instead, so that CI cannot pass by skipping.
 */
export function skipTestNode(release: SupervisorRelease): string | undefined {
  return requirePackage(missingPrerequisite()) ?? skipRelease(release);
}

/** Why a real-systemd node cannot boot here (what to install), or undefined; throws under KUBESUP_REQUIRE_ALL=1. */
export function skipSystemdNode(): string | undefined {
  return requirePackage(missingSystemdPrerequisite());
}

/** Why a test needing these commands cannot run here (the package to install), or undefined; as above. */
export function skipWithout(commands: Readonly<Record<string, string>>): string | undefined {
  return requirePackage(missingCommand(Object.entries(commands)));
}

/**
 * For `describe.skipIf(cannotRun(...))`: true when there is a reason, which it prints once, so a person running
 * the tests sees what to install.
 */
export function cannotRun(what: string, reason: string | undefined): boolean {
  if (reason) console.warn(`skipped "${what}": ${reason}`);
  return reason !== undefined;
}

/** A missing prerequisite, or a failure under KUBESUP_REQUIRE_ALL=1 (CI), which must not pass by skipping. */
export function requirePackage(missing: string | undefined): string | undefined {
  if (missing && process.env.KUBESUP_REQUIRE_ALL === '1') throw new Error(`KUBESUP_REQUIRE_ALL=1: ${missing}`);
  return missing;
}

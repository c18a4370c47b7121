// Which commands this machine lacks, and the Debian package of each (no imports of the test helpers: the test
// node's own modules use it).
import { spawnSync } from 'node:child_process';

/** The first of `needs` (command, Debian package) missing here, as a one-line reason; else undefined. */
export function missingCommand(needs: ReadonlyArray<readonly [command: string, pkg: string]>): string | undefined {
  for (const [command, pkg] of needs)
    if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0)
      return `${command} is missing (apt-get install -y --no-install-recommends ${pkg})`;
  return undefined;
}

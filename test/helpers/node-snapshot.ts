// Every file and link a migration may touch, read inside the node: to prove "changes nothing" and "restored
// byte for byte" (links included: where each points matters to systemd).
import type { NodeShell } from './node-shell.js';

export const MIGRATION_ROOTS = ['/etc', '/usr/lib/systemd', '/usr/local/bin', '/var/lib/kubelet'];

/** One line per file (`path sha mode`) or link (`path -> target`), sorted. */
export function snapshot(node: NodeShell, roots: readonly string[] = MIGRATION_ROOTS): Promise<string> {
  return node.sh(
    `find ${roots.join(' ')} -xdev \\( -type f -o -type l \\) ! -path /etc/machine-id ! -path '/etc/.*' ` +
      '2>/dev/null | sort | ' +
      'while read -r f; do if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; ' +
      'else echo "$f $(sha256sum < "$f" | cut -c1-16) $(stat -c %a "$f")"; fi; done',
  );
}

/**
 * sha256 of files: the journal's proof of a restore and its drift check. Kept apart from journal.ts, which
 * `status` reads on every run: node:crypto costs a start several ms, and only a migration or a drift check
 * needs it.
 */
import { createHash } from 'node:crypto';
import type { FileReader } from '../../host.js';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function digestSources(
  files: FileReader,
  paths: readonly string[],
): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const p of paths) {
    const b = await files.read(p).catch(() => undefined);
    out[p] = b === undefined ? null : sha256(b);
  }
  return out;
}

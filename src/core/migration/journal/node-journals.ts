/**
 * The journals on the node, read in this one place: kubelet's, then each other unit's under UNITS_DIR.
 * An unreadable journal is left out here (`status` and the monitor must still start); `migrate` and
 * `rollback` read their own unit's journal and say why it is unreadable.
 */
import type { FileReader } from '../../host.js';
import { type Journal, readJournal, UNITS_DIR } from './journal.js';

/** Every journal on the node with what it says, kubelet's first, then the other units' by name. */
export async function nodeJournals(files: FileReader): Promise<Journal[]> {
  const others = (await files.list(UNITS_DIR).catch(() => [] as string[])).filter((u) => u !== 'kubelet.service');
  const out: Journal[] = [];
  for (const unit of ['kubelet.service', ...others.sort()]) {
    const journal = await readJournal(files, unit).catch(() => null);
    if (journal) out.push(journal);
  }
  return out;
}

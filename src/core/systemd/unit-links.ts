/**
 * A unit's enable links (`/etc/systemd/system/*.wants/UNIT` and the like), exactly as they are: which file
 * each points to matters, and `systemctl enable` does not always recreate them the same way (Debian's systemd
 * links to /lib/systemd/system where the package had linked /usr/lib/systemd/system), so a rollback restores
 * the recorded links rather than asking systemd to enable the unit again.
 */
import type { FileReader } from '../host.js';

export interface UnitLink {
  readonly path: string;
  readonly target: string;
}

const ETC = '/etc/systemd/system';
const LINK_DIRS = /\.(wants|requires|upholds)$/;

export async function enableLinks(files: FileReader, unit: string): Promise<UnitLink[]> {
  const links: UnitLink[] = [];
  for (const dir of await files.list(ETC)) {
    if (!LINK_DIRS.test(dir)) continue;
    const path = `${ETC}/${dir}/${unit}`;
    const target = await files.readLink(path);
    if (target !== undefined) links.push({ path, target });
  }
  return links;
}

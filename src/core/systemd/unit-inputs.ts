/**
 * Every path whose change can change what resolveUnit reads for a unit: each place its file may be (every
 * directory of the search path), each folder a drop-in may appear in, the drop-ins and environment files it
 * read, and the folder of an EnvironmentFile= glob (where a new match would appear). A folder's times change
 * when a file is added, removed or renamed in it; a file's when it is written. The wrapper of a migrated unit
 * compares these paths' identities and times between starts, to know that the line computed for the last
 * start still holds without paying for a new reading.
 */
import path from 'node:path/posix';
import { type ResolvedUnit, UNIT_SEARCH_PATH } from './resolve-unit.js';

export function unitInputs(unit: ResolvedUnit): string[] {
  const paths = new Set<string>();
  for (const dir of UNIT_SEARCH_PATH) {
    paths.add(`${dir}/${unit.name}`);
    paths.add(`${dir}/${unit.name}.d`);
    paths.add(`${dir}/service.d`);
  }
  for (const dropIn of unit.dropIns) paths.add(dropIn);
  for (const ref of unit.environmentFiles) {
    paths.add(/[*?]/.test(path.basename(ref.path)) ? path.dirname(ref.path) : ref.path);
    for (const file of ref.read) paths.add(file);
  }
  return [...paths];
}

import type { FileReader } from '../host.js';

/**
 * The drop-in kubesup-tui writes to turn a migrated unit into the systemd face of its supervised program
 * (see migration/plan/face.ts). It is kubesup-tui's, not the unit's: what the unit says, and what systemd
 * would run once it is gone, is read without it.
 */
export const FACE_DROP_IN = 'zz-kubesup-tui-face.conf';

/**
 * The face's main process, its log forwarder (`sed`): while the face runs, the unit's MainPID is this, not the
 * program, which runs under supervisord.
 */
export const FACE_FORWARDER = 'sed';

/** The unit's main process is its face's forwarder, not its program (the face drop-in is there). */
export async function isFaceForwarder(
  files: Pick<FileReader, 'exists'>,
  unit: string,
  argv0: string | undefined,
): Promise<boolean> {
  if (!argv0 || argv0.split('/').at(-1) !== FACE_FORWARDER) return false;
  return files.exists(`/etc/systemd/system/${unit}.d/${FACE_DROP_IN}`);
}

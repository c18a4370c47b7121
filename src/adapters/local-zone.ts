/**
 * The node's local time zone file, for reading supervisord's main log (core/supervisor/local-time.ts):
 * /etc/localtime, the file the C library (and so supervisord) reads when TZ is unset. Null with TZ set (Date
 * then reads TZ as it always did) or without the file.
 */
import fs from 'node:fs';

export function readLocalZoneFile(env: Readonly<Record<string, string | undefined>>): Uint8Array | null {
  if (env.TZ !== undefined) return null;
  try {
    return fs.readFileSync('/etc/localtime');
  } catch {
    return null;
  }
}

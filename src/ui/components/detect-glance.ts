/** The detect screen's rows at a glance, one line of words each: kubelet, supervisord, and whether it is migrated. */
import type { Detection } from '../../core/detect/detect.js';

/** The kubelet row: its pid, what runs it and its version; or that it is not running. */
export function kubeletGlance(d: Detection): string {
  if (!d.running) return 'not running';
  const version = d.kubelet.version ? `, v${d.kubelet.version}` : '';
  return `running, pid ${d.running.pid}, run by ${d.running.managedBy}${version}`;
}

/** The supervisord row: its version, whether it runs and its unit's state; or that it is not installed. */
export function supervisordGlance(s: Detection['supervisor']): string {
  if (!s.installed) return 'not installed: the migration installs it';
  const running = s.pid ? `, running (pid ${s.pid})` : ', not running';
  return `${s.version ?? 'installed'}${running}${s.unit ? `, ${s.unit.name} ${s.unit.enabled}` : ''}`;
}

/** The migrated row: the program supervisord runs it as; or where the program will go. */
export function migratedGlance(s: Detection['supervisor']): string {
  if (s.program) return `yes: [program:${s.program.name}] in ${s.program.file}`;
  return `no${s.programFile ? `; the program will go to ${s.programFile}` : ''}`;
}

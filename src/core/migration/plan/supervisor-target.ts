/** Where supervisord is on the node, or will be once the node's package manager installs it. */
import path from 'node:path/posix';
import type { NodeFacts } from '../../detect/detect.js';
import { SUPERVISOR_UNITS, type SupervisorDetection } from '../../detect/supervisor.js';
import { ToolError } from '../../errors.js';

export class PlanRefused extends ToolError {
  override name = 'PlanRefused';
}

export interface SupervisorTarget {
  /** The install command when supervisord is missing. */
  readonly installCommand: string[] | null;
  readonly unit: string;
  readonly config: string;
  /** Where kubelet's [program:x] file goes. */
  readonly programFile: string;
  /** An [include] to add when the config has none (nothing else in it changes). */
  readonly includeToAdd: { readonly pattern: string; readonly dir: string } | null;
  readonly warning: string | null;
}

export function supervisorTarget(
  s: SupervisorDetection,
  node: Pick<NodeFacts, 'packageManager'>,
  program: string,
  what: string,
): SupervisorTarget {
  let warning: string | null = null;
  let installCommand: string[] | null = null;
  let supUnit = s.unit?.name ?? null;
  let config = s.config;
  let programFile = s.programFile;
  let includeToAdd: { pattern: string; dir: string } | null = null;
  if (!s.installed) {
    const manager = node.packageManager;
    if (manager === 'apt-get') {
      installCommand = ['apt-get', 'install', '-y', 'supervisor'];
      supUnit = 'supervisor.service';
      config = '/etc/supervisor/supervisord.conf';
      programFile = `/etc/supervisor/conf.d/${program}.conf`;
    } else {
      if (!manager)
        throw new PlanRefused('supervisord is not installed and no apt-get, dnf or yum was found to install it');
      installCommand = [manager, 'install', '-y', 'supervisor'];
      supUnit = 'supervisord.service';
      config = '/etc/supervisord.conf';
      programFile = `/etc/supervisord.d/${program}.ini`;
      warning =
        `supervisord will be installed with ${manager}: ` +
        'on RHEL and CentOS the package comes from EPEL, which must be enabled';
    }
  } else {
    if (!config)
      throw new PlanRefused('supervisord is installed but its config file was not found; pass --supervisor-conf');
    if (!supUnit)
      throw new PlanRefused(
        `supervisord has no systemd unit (looked for ${SUPERVISOR_UNITS.join(', ')}); ` +
          `${what} would not come back after a reboot`,
      );
    if (!programFile) {
      // No [include]: add one rather than editing anything else in the config.
      const dir = path.dirname(config);
      const sub = path.basename(dir) === 'supervisor' ? 'conf.d' : 'supervisord.d';
      const ext = sub === 'conf.d' ? '.conf' : '.ini';
      includeToAdd = { pattern: `${sub}/*${ext}`, dir: `${dir}/${sub}` };
      programFile = `${dir}/${sub}/${program}${ext}`;
    }
  }
  if (s.program)
    throw new PlanRefused(`a program for ${what} already exists: [program:${s.program.name}] in ${s.program.file}`);
  if (!supUnit || !config || !programFile) throw new PlanRefused('cannot tell where supervisord keeps its programs');
  return { installCommand, unit: supUnit, config, programFile, includeToAdd, warning };
}

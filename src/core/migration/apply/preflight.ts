/**
 * What can be checked before the first write, checked: the config is supervisord's, and the supervisord the
 * plan will talk to answers with the credentials it will use, and no one but root can change the folders it
 * writes in. A refusal here leaves the node as it was (no
 * file written, no journal started), so that a typo in --supervisor-conf or a wrong [supervisorctl] password
 * costs one line and nothing else.
 */

import posix from 'node:path/posix';
import { ToolError } from '../../errors.js';
import type { Host } from '../../host.js';
import { describeFailure } from '../../supervisor/client.js';
import { parseSupervisorConfig } from '../../supervisor/config.js';
import type { Plan } from '../plan/plan.js';
import { withSupervisor } from './supervisor-link.js';

/** How long supervisord may take to answer the check: it answers getState at once when it is well. */
export const PREFLIGHT_TIMEOUT_MS = 5000;

export class MigrationPrecheckFailed extends ToolError {
  override name = 'MigrationPrecheckFailed';
}

/** Throws (one line, ending "nothing was changed") when the plan cannot be carried out as it stands. */
export async function checkBeforeWriting(host: Host, plan: Plan): Promise<void> {
  const { config, installed, wasRunning } = plan.supervisor;
  if (installed) {
    const bytes = await host.files.read(config);
    if (!bytes) throw new MigrationPrecheckFailed(`supervisord's config ${config} does not exist; nothing was changed`);
    // supervisord itself refuses to start from a file without [supervisord]: /etc/passwd has none.
    if (!parseSupervisorConfig(bytes.toString('utf8'), config).sections.has('supervisord'))
      throw new MigrationPrecheckFailed(
        `${config} is not a supervisord config (it has no [supervisord] section); nothing was changed`,
      );
  }
  // A folder others can write in lets them swap what is written there (or plant a link where a log goes).
  const folders = new Set(plan.files.map((f) => posix.dirname(f.path)));
  for (const step of plan.steps) if (step.kind === 'mkdir') folders.add(step.path);
  for (const folder of folders) {
    const why = await host.writer.unsafeFolder(folder);
    if (why) throw new MigrationPrecheckFailed(`will not write in ${folder}: ${why}; nothing was changed`);
  }
  if (!wasRunning) return;
  try {
    await withSupervisor(host, plan, (supervisor) => supervisor.getState(), PREFLIGHT_TIMEOUT_MS);
  } catch (error) {
    throw new MigrationPrecheckFailed(`supervisord cannot be used: ${describeFailure(error)}; nothing was changed`);
  }
}

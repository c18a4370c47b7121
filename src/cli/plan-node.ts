/** The plan for this node as the commands and the TUI make it: a refusal becomes a one-line ToolError. */
import { runningTool } from '../adapters/tool-files.js';
import { ToolError } from '../core/errors.js';
import type { Host } from '../core/host.js';
import { type Plan, PlanRefused, planForNode } from '../core/migration/plan/plan.js';
import { AGENT_SOURCES } from './agent-sources.js';
import { type CliOptions, supervisorOverrides } from './args.js';
import { VERSION } from './version.js';

export async function buildPlan(host: Host, options: CliOptions): Promise<Plan> {
  try {
    return await planForNode(host, {
      program: options.program,
      unit: options.unit,
      ...(options.healthUrl ? { healthUrl: options.healthUrl } : {}),
      supervisor: supervisorOverrides(options),
      tool: `kubesup-tui ${VERSION}`,
      self: runningTool(),
      agent: {
        sources: AGENT_SOURCES,
        watchdog: options.watchdog,
        textfileDir: options.textfileDir,
        probe: options.probe,
      },
    });
  } catch (error) {
    if (error instanceof PlanRefused) throw new ToolError(`no migration: ${error.message}`);
    throw error;
  }
}

/**
 * The resident agent's Python sources, embedded as text when the tool is bundled (esbuild's `--loader:.py=text`
 * for the npm package and the single file; a text plugin in vitest.config.ts for the tests): a migration writes
 * them from here, never from src/ at run time. test/unit/agent-plan.test.ts checks that every file is listed.
 */

import init from '../resident/kubesup_agent/__init__.py';
import agent from '../resident/kubesup_agent/agent.py';
import common from '../resident/kubesup_agent/common.py';
import exits from '../resident/kubesup_agent/exits.py';
import metrics from '../resident/kubesup_agent/metrics.py';
import ready from '../resident/kubesup_agent/ready.py';
import supervisor from '../resident/kubesup_agent/supervisor.py';
import watch from '../resident/kubesup_agent/watch.py';
import script from '../resident/kubesup-agent.py';

/** Path under the agent's folder -> text. */
export const AGENT_SOURCES: Readonly<Record<string, string>> = {
  'kubesup-agent.py': script,
  'kubesup_agent/__init__.py': init,
  'kubesup_agent/agent.py': agent,
  'kubesup_agent/common.py': common,
  'kubesup_agent/exits.py': exits,
  'kubesup_agent/metrics.py': metrics,
  'kubesup_agent/ready.py': ready,
  'kubesup_agent/supervisor.py': supervisor,
  'kubesup_agent/watch.py': watch,
};

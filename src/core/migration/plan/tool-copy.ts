/**
 * The tool's own copy on the node. kubelet's wrapper runs `kubesup-tui start-line` at a start after the unit's
 * files changed (an upgrade: new flags, a new drop-in). Where the migration ran from is often npx's cache or
 * /tmp, which npm and a reboot clean away: kubelet would then start with its last good line, not the upgrade's.
 * So the migration copies the tool it runs (the npm package's bin/ and dist/, or the single file) into
 * TOOL_DIR, and the wrapper runs that copy. Rollback removes it with the face.
 */
import type { Plan, PlanStep } from './plan-model.js';

export const TOOL_DIR = '/usr/lib/kubesup-tui/tool';

/** The running tool, as the CLI finds it (adapters/tool-files.ts). */
export interface ToolSelf {
  /** The runtime that runs `entry` (Node.js for the npm package); none for the single file. */
  readonly runtime?: string;
  /** Each file of the tool: where it is now, and its path under TOOL_DIR. */
  readonly files: readonly { readonly from: string; readonly to: string }[];
  /** The file under TOOL_DIR that starts it. */
  readonly entry: string;
}

/** The command that runs the copy. */
export const toolCommand = (self: ToolSelf): string[] => [
  ...(self.runtime ? [self.runtime] : []),
  `${TOOL_DIR}/${self.entry}`,
];

export function toolCopyStep(self: ToolSelf): PlanStep {
  return {
    id: 'copy-tool',
    kind: 'copy-files',
    title: `copy kubesup-tui to ${TOOL_DIR} (the wrapper runs it)`,
    copies: self.files.map((f) => ({ from: f.from, path: `${TOOL_DIR}/${f.to}` })),
  };
}

/** Where the plan's copies go (none in journals of older versions). */
export const copiedPaths = (plan: Pick<Plan, 'steps'>): string[] =>
  plan.steps.flatMap((s) => (s.kind === 'copy-files' ? s.copies.map((c) => c.path) : []));

/** Every path the plan writes, for people: its files, then the tool's copies (not planned files: too big). */
export const writtenPaths = (plan: Pick<Plan, 'files' | 'steps'>): string[] => [
  ...plan.files.map((f) => f.path),
  ...copiedPaths(plan),
];

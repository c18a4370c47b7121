/** Colours by meaning. Everything also reads without colour (NO_COLOR): states and severities are words. */
import type { Severity } from '../core/kubelet/klog.js';

export function stateColor(state: string): string | undefined {
  if (state === 'RUNNING') return 'green';
  if (state === 'STARTING' || state === 'BACKOFF' || state === 'STOPPING') return 'yellow';
  if (state === 'EXITED' || state === 'FATAL' || state === 'UNKNOWN') return 'red';
  return undefined;
}

export function severityColor(s: Severity): string | undefined {
  if (s === 'error' || s === 'fatal') return 'red';
  if (s === 'warning') return 'yellow';
  return undefined;
}

export const STEP_MARK = { pending: '·', running: '›', done: '✓', skipped: '✓', failed: '✗' } as const;

/** The monitor's actions on a program: start, stop, restart (stop then start: supervisord has no restart). */
import { explainFault, isFault, type SupervisorClient } from '../supervisor/client.js';
import { FaultCode } from '../supervisor/xmlrpc.js';
import type { Action, ActionOutcome } from './monitor-data.js';

const DONE: Record<Action, string> = { start: 'started', stop: 'stopped', restart: 'restarted' };

/** Waits for the outcome (a FATAL program is recovered by start); a failure is one line a person can act on. */
export async function runAction(supervisor: SupervisorClient, action: Action, name: string): Promise<ActionOutcome> {
  try {
    if (action === 'stop' || action === 'restart') {
      try {
        await supervisor.stopProcess(name, true, 120_000);
      } catch (error) {
        // Restarting a program that is not running is just a start.
        if (!(action === 'restart' && isFault(error, FaultCode.NOT_RUNNING))) throw error;
      }
    }
    if (action === 'start' || action === 'restart') await supervisor.startProcess(name, true, 120_000);
    return { ok: true, message: `${name}: ${DONE[action]}` };
  } catch (error) {
    return { ok: false, message: `${name}: ${action} failed: ${explainFault(error)}` };
  }
}

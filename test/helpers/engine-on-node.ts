// The monitor engine on a node in memory, as the engine's unit tests watch it: supervisord's socket and log
// where the reference node has them, every engine started by a test stopped after it.
import type { MonitorTarget } from '../../src/core/monitor/connect.js';
import { MonitorEngine } from '../../src/core/monitor/engine.js';
import type { FakeNode } from './fake-host/index.js';

export const TARGET: MonitorTarget = {
  endpoint: { url: 'unix:///var/run/supervisor/supervisor.sock', timeoutMs: 5000 },
  healthzUrl: 'http://127.0.0.1:10248/healthz',
  mainLogPath: '/var/log/supervisor/supervisord.log',
};

const engines: MonitorEngine[] = [];

/** For `afterEach`: stops every engine made since. */
export function stopEngines(): void {
  for (const e of engines.splice(0)) e.stop();
}

type EngineOptions = ConstructorParameters<typeof MonitorEngine>[2];

/**
 * An engine on the node, kept to be stopped after the test. By default it polls every 250 ms at rest too, as
 * when supervisord's log cannot be watched.
 */
export function engineOn(
  node: FakeNode,
  options: EngineOptions = { pollMs: 250, restPollMs: 250, healthMs: 2000 },
  target: MonitorTarget = TARGET,
): MonitorEngine {
  const engine = new MonitorEngine(node.host, target, options);
  engines.push(engine);
  return engine;
}

export const row = (e: MonitorEngine, name: string) => e.current.programs.find((p) => p.name === name);

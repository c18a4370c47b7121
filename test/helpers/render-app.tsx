// Renders the app over a store with fake services, and waits on frames by condition, never by sleeping.
import { render } from 'ink-testing-library';
import { createSystemClock } from '../../src/adapters/system-clock.js';
import { parseKlogLine } from '../../src/core/kubelet/klog.js';
import { LogRing } from '../../src/core/monitor/log-ring.js';
import {
  type ActionOutcome,
  emptyMonitorData,
  type MonitorData,
  type ProgramRow,
} from '../../src/core/monitor/monitor-data.js';
import { type AppServices, createAppStore, type Screen } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/store-context.js';
import { App } from '../../src/ui/app.js';

export const KEYS = { enter: '\r', escape: '\u001b', down: '\u001b[B', up: '\u001b[A', tab: '\t' } as const;

/** Strip colours and other escapes: assertions read what a person reads. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escapes are what is stripped
export const plain = (s: string | undefined) => (s ?? '').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

export function program(over: Partial<ProgramRow> & { name: string }): ProgramRow {
  return {
    group: over.name,
    namespec: over.name,
    state: 'RUNNING',
    pid: 100,
    start: 1000,
    stop: 0,
    now: 1065,
    exitstatus: 0,
    spawnerr: '',
    description: '',
    stdoutLogfile: `/var/log/${over.name}.log`,
    stderrLogfile: '',
    history: { restarts: 0, spawns: 1, exits: [], lastExit: null },
    ...over,
  };
}

export function monitorData(programs: ProgramRow[], over: Partial<MonitorData> = {}): MonitorData {
  return {
    ...emptyMonitorData('unix:///run/supervisor.sock', 'http://127.0.0.1:10248/healthz'),
    connected: true,
    supervisord: { statename: 'RUNNING', statecode: 1 },
    supervisordPid: 42,
    programs,
    health: {
      url: 'http://127.0.0.1:10248/healthz',
      result: { ok: true, status: 200, body: 'ok', latencyMs: 1 },
      checkedAt: 1,
      lastOkAt: 1,
    },
    // The figures given are those of the program at their pid, taken a moment ago.
    usageOf: over.usage
      ? { namespec: programs.find((p) => p.pid === over.usage?.pid)?.namespec ?? 'kubelet', atMs: 0 }
      : null,
    ...over,
  };
}

export interface FakeMonitor {
  push(d: MonitorData): void;
  log(lines: string[]): void;
  readonly acted: [string, string][];
  readonly followed: (string | null)[];
}

export function fakeServices(over: Partial<AppServices> = {}): { services: AppServices; monitor: FakeMonitor } {
  const ring = new LogRing(1000);
  let seq = 0;
  let onData: ((d: MonitorData) => void) | null = null;
  const acted: [string, string][] = [];
  const followed: (string | null)[] = [];
  const monitor: FakeMonitor = {
    push: (d) => onData?.(d),
    log: (lines) => {
      for (const l of lines) ring.push(parseKlogLine(++seq, l));
    },
    acted,
    followed,
  };
  const services: AppServices = {
    // Real timers: the screens' frames are awaited by condition, as on a terminal.
    clock: createSystemClock(),
    isRoot: true,
    hostname: 'node4',
    detect: async () => {
      throw new Error('detect not faked');
    },
    plan: async () => {
      throw new Error('plan not faked');
    },
    migrate: async () => {
      throw new Error('migrate not faked');
    },
    resume: async () => {
      throw new Error('resume not faked');
    },
    rollback: async () => {
      throw new Error('rollback not faked');
    },
    interruption: async () => null,
    kubeletMigrated: async () => false,
    startMonitor(cb) {
      onData = cb;
      return {
        log: ring,
        // As the engine: following the program already followed changes nothing.
        follow: (n) => {
          if (followed.at(-1) !== n) followed.push(n);
        },
        act: async (a, n): Promise<ActionOutcome> => {
          acted.push([a, n]);
          return { ok: true, message: `${n}: ${a}ed` };
        },
        stop: () => {
          onData = null;
        },
      };
    },
    ...over,
  };
  return { services, monitor };
}

export function renderApp(services: AppServices, screen: Screen, size = { columns: 100, rows: 30 }) {
  const store = createAppStore(services, { screen: screen === 'monitor' ? 'detect' : screen });
  if (screen === 'monitor') store.getState().actions.startMonitor();
  const r = render(
    <StoreProvider store={store}>
      <App hostname="node4" />
    </StoreProvider>,
  );
  // ink-testing-library's stdout is 100 columns and has no rows: give it the size a terminal would.
  Object.defineProperty(r.stdout, 'columns', { value: size.columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { value: size.rows, configurable: true });
  (r.stdout as unknown as NodeJS.EventEmitter).emit('resize');
  const frame = () => plain(r.lastFrame());
  async function waitFor(predicate: (frame: string) => boolean, what: string, timeoutMs = 3000): Promise<string> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (predicate(frame())) return frame();
      await new Promise((res) => setTimeout(res, 10));
    }
    throw new Error(`frame never showed ${what}:\n${frame()}`);
  }
  return { ...r, store, frame, waitFor, press: (s: string) => r.stdin.write(s) };
}

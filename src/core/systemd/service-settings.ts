/**
 * What becomes of each [Service] setting of a unit when supervisord runs the program instead of systemd:
 * carried by the wrapper or the program file, named as not carried (with what that means for the service),
 * or a reason to refuse the migration, where losing it would break the service (systemd.service(5),
 * systemd.exec(5), systemd.resource-control(5), systemd.kill(5)).
 *
 * Named, not silently dropped: a setting this table does not know is named too.
 */
import type { ResolvedUnit } from './resolve-unit.js';
import { LIMIT_SETTINGS } from './run-settings.js';

type Fate =
  | { readonly fate: 'carried' }
  /** Nothing is lost: it only describes how systemd itself runs or accounts the unit. */
  | { readonly fate: 'ignored' }
  | { readonly fate: 'not-carried'; readonly means: string }
  | { readonly fate: 'refused'; readonly why: (value: string) => string | null };

const CGROUP = {
  fate: 'not-carried',
  means: "the limit is lost: it runs in supervisord's cgroup, with supervisord's unit's limits",
} as const;
const SANDBOX = { fate: 'not-carried', means: 'the sandboxing is lost: it runs with what supervisord has' } as const;
const NOT_RUN = { fate: 'not-carried', means: 'the command is not run under supervisord' } as const;

const SETTINGS: Record<string, Fate> = {
  // The command line and its environment: the wrapper does what systemd did.
  ExecStart: { fate: 'carried' },
  ExecStartPre: { fate: 'carried' },
  Environment: { fate: 'carried' },
  EnvironmentFile: { fate: 'carried' },
  OOMScoreAdjust: { fate: 'carried' },
  // Restarting: supervisord's autorestart, paced by the wrapper, never giving up.
  Restart: { fate: 'carried' },
  RestartSec: { fate: 'carried' },
  StartLimitInterval: { fate: 'carried' },
  StartLimitIntervalSec: { fate: 'carried' },
  StartLimitBurst: { fate: 'carried' },
  TimeoutStartSec: { fate: 'carried' },
  TimeoutSec: { fate: 'carried' },
  Type: {
    fate: 'refused',
    why: (v) =>
      ['simple', 'exec', 'notify', 'notify-reload', 'idle', ''].includes(v)
        ? null
        : `Type=${v}: supervisord runs a program that stays in the foreground (simple, exec, notify), ` +
          `not a ${v} service`,
  },
  NotifyAccess: { fate: 'ignored' },
  // kubelet 1.32+ keeps its timeout under kubesup-agent (plan/agent.ts says so in the plan); other units lose it.
  WatchdogSec: {
    fate: 'not-carried',
    means: "systemd's watchdog is gone, but for kubelet 1.32 or later (kubesup-agent serves it)",
  },
  DynamicUser: {
    fate: 'refused',
    why: (v) => (/^(yes|true|1|on)$/i.test(v) ? 'DynamicUser=yes: its user exists only while systemd runs it' : null),
  },
  Sockets: { fate: 'refused', why: () => 'socket activation (Sockets=): systemd holds its listening sockets' },
  BusName: { fate: 'refused', why: () => 'a D-Bus service (BusName=): systemd starts it on its bus name' },
  // Accounting only describes systemd's bookkeeping.
  CPUAccounting: { fate: 'ignored' },
  MemoryAccounting: { fate: 'ignored' },
  IOAccounting: { fate: 'ignored' },
  TasksAccounting: { fate: 'ignored' },
  BlockIOAccounting: { fate: 'ignored' },
  RemainAfterExit: { fate: 'ignored' },
  PIDFile: { fate: 'ignored' },
  GuessMainPID: { fate: 'ignored' },
  SyslogIdentifier: { fate: 'ignored' },
  // How it runs: the wrapper (see run-settings.ts and migration/run-lines.ts).
  User: { fate: 'carried' },
  Group: { fate: 'carried' },
  UMask: { fate: 'carried' },
  WorkingDirectory: { fate: 'carried' },
  Nice: { fate: 'carried' },
  CPUSchedulingPolicy: { fate: 'not-carried', means: 'it runs with the default scheduling policy' },
  IOSchedulingClass: { fate: 'not-carried', means: 'it runs with the default I/O class' },
  // Stopping: the program file's stopsignal, stopwaitsecs, stopasgroup and killasgroup.
  KillMode: { fate: 'carried' },
  KillSignal: { fate: 'carried' },
  TimeoutStopSec: { fate: 'carried' },
  SendSIGKILL: { fate: 'not-carried', means: 'supervisord SIGKILLs it after stopwaitsecs whatever this says' },
  ExecStartPost: NOT_RUN,
  ExecStop: NOT_RUN,
  ExecStopPost: NOT_RUN,
  ExecReload: NOT_RUN,
  // Output: supervisord's log files, not the journal.
  StandardOutput: { fate: 'not-carried', means: "its output goes to supervisord's log file, not the journal" },
  StandardError: { fate: 'not-carried', means: "its output goes to supervisord's log file, not the journal" },
  // cgroups.
  Delegate: { fate: 'not-carried', means: 'no cgroup subtree is delegated to it' },
  Slice: CGROUP,
  MemoryMax: CGROUP,
  MemoryLimit: CGROUP,
  MemoryHigh: CGROUP,
  MemorySwapMax: CGROUP,
  CPUQuota: CGROUP,
  CPUWeight: CGROUP,
  CPUShares: CGROUP,
  TasksMax: CGROUP,
  IOWeight: CGROUP,
  BlockIOWeight: CGROUP,
  DeviceAllow: CGROUP,
};
// Limits: prlimit in the wrapper (a value systemd would reject is named by runSettings()).
for (const limit of LIMIT_SETTINGS) SETTINGS[limit] = { fate: 'carried' };
for (const s of [
  'ProtectSystem',
  'ProtectHome',
  'PrivateTmp',
  'PrivateDevices',
  'PrivateNetwork',
  'NoNewPrivileges',
  'ReadOnlyPaths',
  'ReadWritePaths',
  'InaccessiblePaths',
  'CapabilityBoundingSet',
  'AmbientCapabilities',
  'SystemCallFilter',
  'ProtectKernelTunables',
  'ProtectKernelModules',
  'ProtectControlGroups',
  'RestrictNamespaces',
]) {
  SETTINGS[s] = SANDBOX;
}

/** The [Service] settings of the unit that are not carried (one warning each), and a reason to refuse, if any. */
export function serviceSettings(unit: ResolvedUnit): { notCarried: string[]; refusal: string | null } {
  const notCarried: string[] = [];
  let refusal: string | null = null;
  const seen = new Set<string>();
  for (const e of unit.entries) {
    if (e.section !== 'Service' || seen.has(e.key)) continue;
    seen.add(e.key);
    const value = unit.get('Service', e.key) ?? '';
    // An emptied setting (Key= in a drop-in) is a reset to the default: nothing to carry.
    if (value === '') continue;
    const fate = SETTINGS[e.key];
    const where = `${unit.name}: ${e.key}=${value}`;
    if (!fate) notCarried.push(`${where} is not carried: kubesup-tui does not know this setting`);
    else if (fate.fate === 'not-carried') notCarried.push(`${where} is not carried: ${fate.means}`);
    else if (fate.fate === 'refused') refusal ??= fate.why(value);
  }
  return { notCarried, refusal };
}

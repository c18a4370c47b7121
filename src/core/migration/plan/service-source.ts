/**
 * What a migration plan needs to know about the service it moves, whichever unit it is: kubelet (from its
 * own detection, which knows its flags and healthz) or any other unit (containerd, etcd, ...). Everything that
 * differs between them is decided here, so that the planner treats them alike.
 */

import type { ConfiguredStart } from '../../detect/configured.js';
import type { Detection, NodeFacts } from '../../detect/detect.js';
import type { UnitDetection } from '../../detect/detect-unit.js';
import type { SupervisorDetection } from '../../detect/supervisor.js';
import type { HealthCheck } from '../../health/service-health.js';
import { DEFAULT_RUN, type RunSettings } from '../../systemd/run-settings.js';
import { type ExpectedRun, expectedRun } from './run-check.js';

export interface ServiceSource {
  readonly unit: string;
  /** The name people know it by in messages ("kubelet", "containerd"). */
  readonly name: string;
  readonly argv: string[];
  /** Who runs it now: systemd, supervisord (already migrated), or null when it is not running. */
  readonly runBy: string | null;
  readonly configured: ConfiguredStart | null;
  readonly run: RunSettings;
  readonly oomScoreAdjust: number;
  readonly expect: ExpectedRun;
  readonly health: HealthCheck;
  readonly supervisor: SupervisorDetection;
  readonly node: NodeFacts;
  readonly refusal: string | null;
  /** Where its wrapper and log go by default. */
  readonly wrapperPath: string;
  readonly logFile: string;
  /** supervisord's start order: a container runtime or etcd before kubelet. */
  readonly priority: number;
  /** Units supervisord's unit must start after (and want), for this service's sake. */
  readonly after: string[];
  readonly wants: string[];
  /** The drop-in of supervisord's unit that carries this service's boot order. */
  readonly supervisorDropIn: string;
  /** kubelet's version (x.y.z), for its watchdog; absent for other units. */
  readonly version?: string | null;
}

/** Started before kubelet by supervisord, as systemd ordered them. */
const EARLY = new Set(['containerd', 'crio', 'docker', 'cri-docker', 'etcd']);

export function kubeletSource(d: Detection): ServiceSource {
  const c = d.configured;
  return {
    unit: 'kubelet.service',
    name: 'kubelet',
    argv: d.argv,
    runBy: d.running?.managedBy ?? null,
    configured: c,
    run: d.carry?.run ?? DEFAULT_RUN,
    oomScoreAdjust: d.carry?.oomScoreAdjust ?? 0,
    expect: expectedRun(d.running, d.carry?.run.limits ?? [], c?.env ?? {}),
    health: { kind: 'http', url: d.kubelet.healthz.url },
    supervisor: d.supervisor,
    node: d.node,
    refusal: d.refusal ?? (d.argv.length ? null : 'no kubelet command line found'),
    wrapperPath: '/etc/kubernetes/kubelet.sh',
    logFile: '/var/log/kubelet/kubelet.log',
    priority: 10,
    // kubelet needs the network whatever its unit said (KubeKey's says nothing), and the container runtime.
    after: [...new Set(['network-online.target', ...(c?.after ?? []), ...d.node.runtimeUnits])],
    wants: [...new Set(['network-online.target', ...(c?.wants ?? [])])],
    supervisorDropIn: '50-kubesup-tui.conf',
    version: d.kubelet.version,
  };
}

export function unitSource(d: UnitDetection): ServiceSource {
  const c = d.configured;
  return {
    unit: d.unit,
    name: d.program,
    argv: d.argv,
    runBy: d.running?.managedBy ?? null,
    configured: c,
    run: d.carry?.run ?? DEFAULT_RUN,
    oomScoreAdjust: d.carry?.oomScoreAdjust ?? 0,
    expect: expectedRun(d.running, d.carry?.run.limits ?? [], c?.env ?? {}),
    health: d.health ?? { kind: 'alive', seconds: 10 },
    supervisor: d.supervisor,
    node: d.node,
    refusal: d.refusal,
    wrapperPath: `/etc/kubesup-tui/${d.program}.sh`,
    logFile: `/var/log/${d.program}/${d.program}.log`,
    priority: EARLY.has(d.program) ? 5 : 20,
    after: [...new Set(c?.after ?? [])],
    wants: [...new Set(c?.wants ?? [])],
    supervisorDropIn: `51-kubesup-tui-${d.program}.conf`,
  };
}

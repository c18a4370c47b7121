/**
 * What the monitor watches on a node: where supervisord listens (and with which credentials), where its main
 * log is, and kubelet's healthz address. Shared by `status` and the live monitor.
 */
import type { ConnectOptions, Host } from '../host.js';
import { healthzFromConfig, kubeletConfigPath, kubeletFlag, parseKubeletConfig } from '../kubelet/config.js';
import { type EvictionThresholds, evictionThresholds } from '../kubelet/eviction.js';
import { findKubeletProcesses } from '../kubelet/processes.js';
import { locateSupervisord, requireEndpoint, type SupervisorOverrides } from '../supervisor/locate.js';
import { mainLogPath } from '../supervisor/main-log.js';
import { AGENT_STATE_PATH } from './agent-state.js';
import type { WatchedDisk } from './node-facts.js';

export interface MonitorTarget {
  /** How to connect to supervisord. */
  readonly endpoint: ConnectOptions;
  readonly healthzUrl: string;
  /**
   * supervisord's main log, when it is a local file: the restart history is rebuilt from its latest start
   * line instead of from its first byte. Null when supervisord is reached over TCP (maybe another host).
   */
  readonly mainLogPath: string | null;
  /** The filesystems kubelet evicts on, and its hard thresholds, for the node panel; absent when not local. */
  readonly disks?: readonly WatchedDisk[];
  readonly eviction?: EvictionThresholds;
  /** kubesup-agent's state file (restart counts and reasons), read when supervisord is this node's. */
  readonly agentStatePath?: string;
}

/**
 * nodefs is the filesystem of kubelet's root dir, imagefs the container runtime's (containerd's, else
 * docker's); the logs directory is shown as well, as it fills the same way.
 */
async function watchedDisks(host: Host, kubeletArgv: readonly string[]): Promise<WatchedDisk[]> {
  const runtimeRoot = (await host.files.exists('/var/lib/containerd'))
    ? '/var/lib/containerd'
    : (await host.files.exists('/var/lib/docker'))
      ? '/var/lib/docker'
      : null;
  return [
    { path: kubeletFlag(kubeletArgv, 'root-dir') ?? '/var/lib/kubelet', role: 'nodefs', signal: 'nodefs.available' },
    ...(runtimeRoot ? [{ path: runtimeRoot, role: 'imagefs', signal: 'imagefs.available' as const }] : []),
    { path: '/var/log', role: 'logs', signal: null },
  ];
}

export async function findMonitorTarget(
  host: Host,
  overrides: SupervisorOverrides = {},
): Promise<{ target: MonitorTarget; warnings: string[] }> {
  const location = await locateSupervisord(host, overrides);
  const endpoint = requireEndpoint(location);

  // kubelet's healthz address: from the --config of the running kubelet, else kubelet's defaults.
  const kubelets = await findKubeletProcesses(host.procs);
  const configPath = kubelets.map((k) => kubeletConfigPath(k.argv ?? [])).find(Boolean);
  const configText = configPath ? (await host.files.read(configPath))?.toString('utf8') : undefined;
  const config = parseKubeletConfig(configText);
  const healthz = healthzFromConfig(config);
  const kubeletArgv = kubelets[0]?.argv ?? [];
  const eviction = evictionThresholds(kubeletFlag(kubeletArgv, 'eviction-hard'), config.doc);

  const warnings: string[] = [];
  if (kubelets.length > 1)
    warnings.push(`${kubelets.length} kubelet processes are running (pids ${kubelets.map((k) => k.pid).join(', ')})`);
  if (healthz.problem) warnings.push(healthz.problem);

  const local = !overrides.url?.startsWith('http');
  const logPath = location.config && local ? mainLogPath(location.config, host.env) : undefined;
  return {
    target: {
      endpoint: {
        url: endpoint.url,
        ...(endpoint.username ? { username: endpoint.username, password: endpoint.password ?? '' } : {}),
        timeoutMs: 5000,
      },
      healthzUrl: healthz.url,
      mainLogPath: logPath ?? null,
      // The node panel reads this node's /proc: not when supervisord is reached over TCP (maybe elsewhere).
      ...(local ? { disks: await watchedDisks(host, kubeletArgv), eviction, agentStatePath: AGENT_STATE_PATH } : {}),
    },
    warnings,
  };
}

/**
 * What the monitor watches on a node: where supervisord listens (and with which credentials), where its main
 * log is, and kubelet's healthz address. Shared by `status` and the live monitor.
 */
import type { ConnectOptions, Host } from '../host.js';
import { healthzFromKubeletConfig, kubeletConfigPath } from '../kubelet/config.js';
import { findKubeletProcesses } from '../kubelet/processes.js';
import { locateSupervisord, requireEndpoint, type SupervisorOverrides } from '../supervisor/locate.js';
import { mainLogPath } from '../supervisor/main-log.js';

export interface MonitorTarget {
  /** How to connect to supervisord. */
  readonly endpoint: ConnectOptions;
  readonly healthzUrl: string;
  /**
   * supervisord's main log, when it is a local file: the restart history is rebuilt from its latest start
   * line instead of from its first byte. Null when supervisord is reached over TCP (maybe another host).
   */
  readonly mainLogPath: string | null;
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
  const healthz = healthzFromKubeletConfig(configText);

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
    },
    warnings,
  };
}

/**
 * What the monitor engine needs on a real node: where supervisord is, kubelet's healthz address, and
 * local reads for rotated logs and pid checks. Shared by `status` and the live monitor.
 */
import { findKubeletProcesses } from '../core/find-kubelet.js';
import { locateSupervisord, requireEndpoint } from '../core/find-supervisord.js';
import { healthzFromKubeletConfig, kubeletConfigPath } from '../core/kubelet-config.js';
import type { MonitorEngineDeps } from '../core/monitor-engine.js';
import type { CliOptions } from './args.js';
import type { Host } from './host.js';

export async function connectMonitor(host: Host, options: CliOptions): Promise<{ deps: MonitorEngineDeps; warnings: string[] }> {
  const location = await locateSupervisord(host, {
    ...(options.supervisorConf ? { configPath: options.supervisorConf } : {}),
    ...(options.supervisorUrl ? { url: options.supervisorUrl } : {}),
  });
  const endpoint = requireEndpoint(location);

  // kubelet's healthz address: from the --config of the running kubelet, else kubelet's defaults.
  const kubelets = await findKubeletProcesses(host.procs);
  const configPath = kubelets.map((k) => kubeletConfigPath(k.argv ?? [])).find(Boolean);
  const configText = configPath ? (await host.files.read(configPath))?.toString('utf8') : undefined;
  const healthz = healthzFromKubeletConfig(configText);

  const warnings: string[] = [];
  if (kubelets.length > 1) warnings.push(`${kubelets.length} kubelet processes are running (pids ${kubelets.map((k) => k.pid).join(', ')})`);
  if (healthz.problem) warnings.push(healthz.problem);

  const deps: MonitorEngineDeps = {
    connect: () =>
      host.connect({
        url: endpoint.url,
        ...(endpoint.username ? { username: endpoint.username, password: endpoint.password ?? '' } : {}),
        timeoutMs: 5000,
      }),
    url: endpoint.url,
    http: host.http,
    healthzUrl: healthz.url,
    readRotated: async (path, offset) => (await host.files.read(path))?.subarray(offset),
    isPidAlive: async (pid) => (await host.procs.brief(pid)) !== undefined,
  };
  return { deps, warnings };
}

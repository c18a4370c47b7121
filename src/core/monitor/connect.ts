/**
 * What the monitor engine needs on a real node: where supervisord is, kubelet's healthz address, and
 * local reads for rotated logs and pid checks. Shared by `status` and the live monitor.
 */
import path from 'node:path';
import { findMainLogStart } from '../../adapters/main-log-start.js';
import { findKubeletProcesses } from '../kubelet/processes.js';
import { expandPercent, expansionNames, getValue } from '../supervisor/config.js';
import { locateSupervisord, requireEndpoint } from '../supervisor/locate.js';
import { healthzFromKubeletConfig, kubeletConfigPath } from '../kubelet/config.js';
import type { MonitorEngineDeps } from './engine.js';
import type { CliOptions } from '../../cli/args.js';
import type { Host } from '../../cli/host.js';

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

  // supervisord's main log ([supervisord] logfile, default supervisord.log in its working directory, `/` under
  // systemd): read locally to find where its latest start is, so history is not rebuilt from the first byte.
  const config = location.config;
  const rawLog = config ? getValue(config, 'supervisord', 'logfile') : undefined;
  let mainLogPath: string | undefined;
  try {
    mainLogPath = config ? path.resolve('/', expandPercent(rawLog ?? 'supervisord.log', expansionNames(config.path, host.env))) : undefined;
  } catch {
    mainLogPath = undefined;
  }

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
    ...(mainLogPath && !options.supervisorUrl?.startsWith('http') ? { mainLogStart: () => findMainLogStart(mainLogPath as string) } : {}),
  };
  return { deps, warnings };
}

/** `kubesup-tui status`: a one-shot look at supervisord's programs and kubelet's health. */
import { ToolError } from '../../core/errors.js';
import { findKubeletProcesses } from '../../core/find-kubelet.js';
import { locateSupervisord, requireEndpoint } from '../../core/find-supervisord.js';
import { healthzFromKubeletConfig, kubeletConfigPath } from '../../core/kubelet-config.js';
import { createSupervisorApi } from '../../core/supervisor-api.js';
import { buildStatusReport, formatStatusReport } from '../../core/status-report.js';
import { RpcFault, FaultCode } from '../../core/xmlrpc.js';
import type { CliOptions } from '../args.js';
import type { Host } from '../host.js';

export async function runStatus(host: Host, options: CliOptions, out: (text: string) => void): Promise<number> {
  const location = await locateSupervisord(host, {
    ...(options.supervisorConf ? { configPath: options.supervisorConf } : {}),
    ...(options.supervisorUrl ? { url: options.supervisorUrl } : {}),
  });
  const endpoint = requireEndpoint(location);
  const transport = host.connect({ url: endpoint.url, ...(endpoint.username ? { username: endpoint.username, password: endpoint.password ?? '' } : {}), timeoutMs: 5000 });
  try {
    const api = createSupervisorApi(transport);
    let snapshot;
    try {
      snapshot = await api.snapshot();
    } catch (error) {
      if (error instanceof RpcFault && error.code === FaultCode.SHUTDOWN_STATE) {
        throw new ToolError(`supervisord at ${endpoint.url} is restarting or shutting down`);
      }
      throw error;
    }
    const supervisordPid = await api.getPID().catch(() => location.pid);

    // kubelet's healthz address: from the --config of the running kubelet, else kubelet's defaults.
    const kubelets = await findKubeletProcesses(host.procs);
    const configPath = kubelets.map((k) => kubeletConfigPath(k.argv ?? [])).find(Boolean);
    const configText = configPath ? (await host.files.read(configPath))?.toString('utf8') : undefined;
    const healthz = healthzFromKubeletConfig(configText);
    const health = await host.http.get(healthz.url, 2000);

    const warnings: string[] = [];
    if (kubelets.length > 1) warnings.push(`${kubelets.length} kubelet processes are running (pids ${kubelets.map((k) => k.pid).join(', ')})`);
    if (healthz.problem) warnings.push(healthz.problem);
    const report = buildStatusReport({ snapshot, supervisordPid, url: endpoint.url, healthzUrl: healthz.url, health, warnings });
    out(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatusReport(report));
    return report.programs.some((p) => p.state !== 'RUNNING') ? 3 : 0;
  } finally {
    transport.close();
  }
}

/** kubelet's own configuration file (KubeletConfiguration YAML): where its healthz endpoint listens. */
import { parse } from 'yaml';

export interface HealthzEndpoint {
  readonly address: string;
  /** 0 disables the healthz server. */
  readonly port: number;
  readonly url: string;
}

// kubelet's defaults (pkg/kubelet/apis/config/v1beta1/defaults.go).
export const DEFAULT_HEALTHZ = { address: '127.0.0.1', port: 10248 } as const;

function urlFor(address: string, port: number): string {
  // 0.0.0.0 and :: mean "every address": probe loopback.
  const host =
    address === '0.0.0.0' || address === ''
      ? '127.0.0.1'
      : address === '::'
        ? '[::1]'
        : address.includes(':')
          ? `[${address}]`
          : address;
  return `http://${host}:${port}/healthz`;
}

/** healthzBindAddress and healthzPort from the config text; defaults where absent or unreadable. */
export function healthzFromKubeletConfig(
  yamlText: string | undefined,
): HealthzEndpoint & { readonly problem?: string } {
  let doc: unknown;
  let problem: string | undefined;
  if (yamlText !== undefined) {
    try {
      doc = parse(yamlText);
    } catch (error) {
      problem = `kubelet config is not valid YAML: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  const obj = doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : {};
  const address = typeof obj.healthzBindAddress === 'string' ? obj.healthzBindAddress : DEFAULT_HEALTHZ.address;
  const port = typeof obj.healthzPort === 'number' ? obj.healthzPort : DEFAULT_HEALTHZ.port;
  return { address, port, url: urlFor(address, port), ...(problem ? { problem } : {}) };
}

/** The value of kubelet's `--config` flag in an argv. */
export function kubeletConfigPath(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--config=')) return a.slice('--config='.length);
    if (a === '--config' && i + 1 < argv.length) return argv[i + 1];
  }
  return undefined;
}

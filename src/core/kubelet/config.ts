/** kubelet's own configuration file (KubeletConfiguration YAML): where its healthz endpoint listens. */
import { CORE_SCHEMA, load } from 'js-yaml';

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

export interface KubeletConfig {
  readonly doc: Record<string, unknown>;
  /** Why the text is not valid YAML, when it is not. */
  readonly problem?: string;
}

/**
 * The config file parsed; an empty document, and the reason, when it is not valid YAML. Typed by YAML 1.2's
 * core schema, as the yaml package typed it: durations (`10s`), quantities (`100Mi`) and percentages stay strings.
 */
export function parseKubeletConfig(yamlText: string | undefined): KubeletConfig {
  if (yamlText === undefined) return { doc: {} };
  try {
    const doc: unknown = load(yamlText, { schema: CORE_SCHEMA });
    return { doc: doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : {} };
  } catch (error) {
    return { doc: {}, problem: `kubelet config is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** healthzBindAddress and healthzPort from the parsed config; defaults where absent or unreadable. */
export function healthzFromConfig({ doc, problem }: KubeletConfig): HealthzEndpoint & { readonly problem?: string } {
  const address = typeof doc.healthzBindAddress === 'string' ? doc.healthzBindAddress : DEFAULT_HEALTHZ.address;
  const port = typeof doc.healthzPort === 'number' ? doc.healthzPort : DEFAULT_HEALTHZ.port;
  return { address, port, url: urlFor(address, port), ...(problem ? { problem } : {}) };
}

/** healthzBindAddress and healthzPort from the config text; defaults where absent or unreadable. */
export function healthzFromKubeletConfig(
  yamlText: string | undefined,
): HealthzEndpoint & { readonly problem?: string } {
  return healthzFromConfig(parseKubeletConfig(yamlText));
}

/** The value of one of kubelet's flags in an argv (`--name=value` or `--name value`); the last one wins. */
export function kubeletFlag(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
    else if (a === `--${name}` && i + 1 < argv.length) value = argv[i + 1];
  }
  return value;
}

/** The value of kubelet's `--config` flag in an argv. */
export function kubeletConfigPath(argv: readonly string[]): string | undefined {
  return kubeletFlag(argv, 'config');
}

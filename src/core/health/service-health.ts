/**
 * How to tell that a service is healthy, from the way it is started (its argv, environment and config files):
 * - kubelet: its healthz (core/kubelet/config.ts);
 * - etcd: GET /health at its first client URL (flags, else ETCD_* variables, as etcd reads them), with its
 *   client certificate when the URL is https;
 * - containerd: its socket accepts a connection ([grpc] address of its config.toml);
 * - docker, cri-dockerd: their socket;
 * - any other service: alive through its start window, or the URL the operator gives (--health-url).
 */
import path from 'node:path/posix';
import type { FileReader } from '../host.js';

export type HealthCheck =
  | {
      readonly kind: 'http';
      readonly url: string;
      /** Client certificate, key and trusted CA (files on the node), for https. */
      readonly tls?: { readonly cert: string | null; readonly key: string | null; readonly ca: string | null };
    }
  | { readonly kind: 'socket'; readonly path: string }
  | { readonly kind: 'alive'; readonly seconds: number };

/** How long a service with no health endpoint must stay up to count as started. */
export const ALIVE_WINDOW_S = 10;

/** The value of `--name=v` or `--name v` (the last one wins, as Go's flag package reads them). */
export function flagValue(argv: readonly string[], ...names: string[]): string | undefined {
  let found: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    for (const n of names) {
      if (a === n && i + 1 < argv.length) found = argv[i + 1];
      else if (a.startsWith(`${n}=`)) found = a.slice(n.length + 1);
    }
  }
  return found;
}

/** A listen URL as a client reaches it: a wildcard host is this node. */
function reachable(listen: string): string {
  const u = new URL(listen);
  if (u.hostname === '0.0.0.0' || u.hostname === '') u.hostname = '127.0.0.1';
  if (u.hostname === '[::]') u.hostname = '[::1]';
  return u.origin;
}

/** etcd's /health: flags first, else the ETCD_* variable of the same name (etcd's own rule). */
export function etcdHealth(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
): HealthCheck | { problem: string } {
  const setting = (flag: string) =>
    flagValue(argv, `--${flag}`, `-${flag}`) ?? env[`ETCD_${flag.toUpperCase().replace(/-/g, '_')}`];
  const listen = setting('listen-client-urls') ?? 'http://localhost:2379';
  const first = listen.split(',')[0]?.trim() ?? '';
  let origin: string;
  try {
    origin = reachable(first);
  } catch {
    return { problem: `etcd's client URL "${first}" is not a URL: its health cannot be checked` };
  }
  const url = `${origin}/health`;
  if (!url.startsWith('https:')) return { kind: 'http', url };
  return {
    kind: 'http',
    url,
    tls: {
      cert: setting('cert-file') ?? null,
      key: setting('key-file') ?? null,
      ca: setting('trusted-ca-file') ?? null,
    },
  };
}

/** containerd's socket: [grpc] address in its config (--config/-c, else /etc/containerd/config.toml). */
export async function containerdHealth(
  files: FileReader,
  argv: readonly string[],
): Promise<HealthCheck | { problem: string }> {
  const config = flagValue(argv, '--config', '-c') ?? '/etc/containerd/config.toml';
  const fallback = { kind: 'socket', path: '/run/containerd/containerd.sock' } as const;
  const text = (await files.read(config).catch(() => undefined))?.toString('utf8');
  if (text === undefined) return fallback;
  try {
    // Loaded only here: `status` and the monitor, which describe checks, do not pay for a TOML parser.
    const { parse } = await import('smol-toml');
    const grpc = (parse(text) as { grpc?: { address?: unknown } }).grpc;
    return typeof grpc?.address === 'string' && grpc.address ? { kind: 'socket', path: grpc.address } : fallback;
  } catch (error) {
    const firstLine = (error as Error).message.split('\n')[0];
    return { problem: `${config} does not parse as TOML (${firstLine}): containerd's socket is unknown` };
  }
}

/** A `unix://` endpoint flag, else the default socket. */
function socketFlag(argv: readonly string[], flags: string[], dflt: string): HealthCheck {
  const v = flagValue(argv, ...flags);
  const unix = v?.startsWith('unix://') ? v.slice('unix://'.length) : undefined;
  return { kind: 'socket', path: unix ?? dflt };
}

/** The check for a service other than kubelet (whose healthz comes from its own config). */
export async function serviceHealth(
  files: FileReader,
  program: string,
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  healthUrl?: string,
): Promise<HealthCheck | { problem: string }> {
  if (healthUrl) return { kind: 'http', url: healthUrl };
  switch (path.basename(argv[0] ?? program)) {
    case 'etcd':
      return etcdHealth(argv, env);
    case 'containerd':
      return containerdHealth(files, argv);
    case 'dockerd':
      return socketFlag(argv, ['-H', '--host'], '/var/run/docker.sock');
    case 'cri-dockerd':
      return socketFlag(argv, ['--container-runtime-endpoint'], '/var/run/cri-dockerd.sock');
    default:
      return { kind: 'alive', seconds: ALIVE_WINDOW_S };
  }
}

/** The check in words, for detect, the preview and verify. */
export function describeHealth(check: HealthCheck): string {
  if (check.kind === 'socket') return `${check.path} accepts a connection`;
  if (check.kind === 'alive') return `alive for ${check.seconds} s (no health endpoint known; --health-url gives one)`;
  return check.tls
    ? `GET ${check.url} answers ok (client certificate ${check.tls.cert ?? 'none'})`
    : `GET ${check.url} answers ok`;
}

/**
 * One look at a service's health, the same for verify, rollback, the healthz gap and the monitor: its HTTP
 * endpoint (with its client certificate), its socket, or, for a service with neither, nothing to ask (its
 * supervisor's RUNNING past the start window is the check, made by the caller).
 */
import type { Host, HttpProbeResult, TlsClient } from '../host.js';
import type { HealthCheck } from './service-health.js';

export interface HealthResult {
  readonly ok: boolean;
  /** Why not, in a few words ("connection refused", "HTTP 503"). */
  readonly detail: string;
}

async function tlsFiles(host: Host, check: Extract<HealthCheck, { kind: 'http' }>): Promise<TlsClient | undefined> {
  if (!check.tls) return undefined;
  const read = async (p: string | null) => (p ? await host.files.read(p).catch(() => undefined) : undefined);
  const [cert, key, ca] = await Promise.all([read(check.tls.cert), read(check.tls.key), read(check.tls.ca)]);
  return { ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(ca ? { ca } : {}) };
}

/** Why an HTTP check failed: the request's error, or the status and the start of the body. */
function httpFailure(r: HttpProbeResult): string {
  const body = r.body ? `: ${r.body.trim().slice(0, 60)}` : '';
  return r.error ?? `HTTP ${r.status}${body}`;
}

export async function probeHealth(host: Host, check: HealthCheck, timeoutMs: number): Promise<HealthResult> {
  if (check.kind === 'alive') return { ok: true, detail: 'no health endpoint: alive is all there is to ask' };
  if (check.kind === 'socket') {
    if (!host.http.connect) return { ok: false, detail: 'sockets cannot be probed here' };
    const r = await host.http.connect(check.path, timeoutMs);
    return { ok: r.ok, detail: r.ok ? 'accepts connections' : (r.error ?? 'refused') };
  }
  const r = await host.http.get(check.url, timeoutMs, await tlsFiles(host, check));
  return {
    ok: r.ok,
    detail: r.ok ? 'ok' : httpFailure(r),
  };
}

/** A check's target in a few words: the URL or the socket. */
export function healthTarget(check: HealthCheck): string {
  return check.kind === 'http' ? check.url : check.kind === 'socket' ? check.path : 'alive';
}

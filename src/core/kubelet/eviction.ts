/**
 * kubelet's hard eviction thresholds: below them it evicts pods (and, for memory, the node is in trouble).
 * From `--eviction-hard` (a flag wins over the file) or the config's `evictionHard`; kubelet's defaults when
 * neither says. Setting some signals drops the defaults of the others (kubelet before
 * mergeDefaultEvictionSettings, the behaviour of every release operators run today).
 */

export type EvictionSignal = 'memory.available' | 'nodefs.available' | 'imagefs.available';

export type Threshold = { readonly percent: number } | { readonly bytes: number };

export type EvictionThresholds = Partial<Record<EvictionSignal, Threshold>>;

/** kubelet's defaults (pkg/kubelet/apis/config/v1beta1/defaults_linux.go). */
export const DEFAULT_EVICTION_HARD: EvictionThresholds = {
  'memory.available': { bytes: 100 * 2 ** 20 },
  'nodefs.available': { percent: 10 },
  'imagefs.available': { percent: 15 },
};

const SIGNALS = new Set<string>(['memory.available', 'nodefs.available', 'imagefs.available']);

const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes quantity (`100Mi`, `1.5G`) or a percentage (`10%`); null when it is neither. */
export function parseThreshold(text: string): Threshold | null {
  const t = text.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) return { percent: Number(pct[1]) };
  const q = /^(\d+(?:\.\d+)?)(|k|M|G|T|Ki|Mi|Gi|Ti)$/.exec(t);
  return q ? { bytes: Number(q[1]) * (UNITS[q[2] as string] as number) } : null;
}

function only(entries: Iterable<readonly [string, string]>): EvictionThresholds {
  const out: EvictionThresholds = {};
  for (const [signal, value] of entries) {
    const threshold = parseThreshold(value);
    if (SIGNALS.has(signal) && threshold) out[signal as EvictionSignal] = threshold;
  }
  return out;
}

/**
 * The thresholds in force: `flag` is the value of `--eviction-hard` (`memory.available<100Mi,nodefs...`),
 * `config` the parsed KubeletConfiguration.
 */
export function evictionThresholds(flag: string | undefined, config: unknown): EvictionThresholds {
  if (flag !== undefined) {
    return only(
      flag
        .split(',')
        .map((pair) => pair.split('<'))
        .filter((kv) => kv.length === 2)
        .map(([k, v]) => [(k as string).trim(), v as string] as const),
    );
  }
  const hard = config && typeof config === 'object' ? (config as Record<string, unknown>).evictionHard : undefined;
  if (hard && typeof hard === 'object') {
    return only(Object.entries(hard as Record<string, unknown>).map(([k, v]) => [k, String(v)] as const));
  }
  return DEFAULT_EVICTION_HARD;
}

/** The threshold in bytes for a filesystem or memory of `totalBytes`. */
export function thresholdBytes(t: Threshold, totalBytes: number): number {
  return 'bytes' in t ? t.bytes : (t.percent / 100) * totalBytes;
}

export function describeThreshold(t: Threshold): string {
  if ('percent' in t) return `${t.percent}%`;
  return formatBytes(t.bytes);
}

/** `512 MiB`, `3.2 GiB`: binary units, as kubelet's thresholds are usually written. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

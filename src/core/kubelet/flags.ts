/**
 * kubelet flags that a version deprecated or removed: carried over unchanged, a removed flag makes a newer
 * kubelet exit at once ("failed to parse kubelet flag: unknown flag"). Sources: dockershim's flags left in
 * 1.24 (kubernetes/website #33870); --container-runtime deprecated in 1.24, removed in 1.27
 * (kubernetes/kubernetes #107094); --pod-infra-container-image deprecated in 1.24 (#108045), removed in 1.35
 * (#133779).
 */

export interface FlagLifecycle {
  readonly flag: string;
  readonly deprecated?: string;
  readonly removed?: string;
  readonly note: string;
}

export const FLAG_LIFECYCLE: readonly FlagLifecycle[] = [
  { flag: '--network-plugin', deprecated: '1.20', removed: '1.24', note: 'with dockershim' },
  { flag: '--cni-bin-dir', deprecated: '1.20', removed: '1.24', note: 'with dockershim' },
  { flag: '--cni-conf-dir', deprecated: '1.20', removed: '1.24', note: 'with dockershim' },
  { flag: '--cni-cache-dir', deprecated: '1.20', removed: '1.24', note: 'with dockershim' },
  { flag: '--network-plugin-mtu', deprecated: '1.20', removed: '1.24', note: 'with dockershim' },
  { flag: '--docker-endpoint', deprecated: '1.20', removed: '1.24', note: 'with dockershim' },
  { flag: '--container-runtime', deprecated: '1.24', removed: '1.27', note: 'only the remote runtime is left' },
  {
    flag: '--pod-infra-container-image',
    deprecated: '1.24',
    removed: '1.35',
    note: 'the sandbox image comes from the container runtime',
  },
];

/** `1.23.16` from "Kubernetes v1.23.16" or "v1.23.16-eks-…". */
export function parseKubeletVersion(text: string): string | undefined {
  return /v?(\d+\.\d+\.\d+)/.exec(text)?.[1];
}

function minor(version: string): [number, number] {
  const [a, b] = version.split('.').map(Number);
  return [a ?? 0, b ?? 0];
}

export function versionAtLeast(version: string, than: string): boolean {
  const [a, b] = minor(version);
  const [c, d] = minor(than);
  return a > c || (a === c && b >= d);
}

/** The flag's name: `--foo` of `--foo=bar`. */
export function flagName(arg: string): string | undefined {
  return arg.startsWith('--') ? arg.split('=')[0] : undefined;
}

/** Warnings for the flags in argv that this kubelet version deprecates or no longer has. */
export function flagWarnings(argv: readonly string[], version: string | undefined): string[] {
  const warnings: string[] = [];
  for (const arg of argv.slice(1)) {
    const name = flagName(arg);
    const life = FLAG_LIFECYCLE.find((f) => f.flag === name);
    if (!life) continue;
    if (version && life.removed && versionAtLeast(version, life.removed)) {
      warnings.push(
        `${life.flag}: removed in kubelet ${life.removed} (${life.note}); ` +
          `this kubelet, v${version}, will not start with it`,
      );
    } else if (life.removed) {
      warnings.push(
        `${life.flag}: removed in kubelet ${life.removed} (${life.note}); ` +
          `upgrading kubelet to ${life.removed} or later will fail with it`,
      );
    }
  }
  return warnings;
}

/** Names of flags that differ between two argvs. */
export function differingFlags(a: readonly string[], b: readonly string[]): string[] {
  const rest = [...b.slice(1)];
  const onlyA: string[] = [];
  for (const arg of a.slice(1)) {
    const i = rest.indexOf(arg);
    if (i >= 0) rest.splice(i, 1);
    else onlyA.push(arg);
  }
  return [...new Set([...onlyA, ...rest].map((x) => flagName(x) ?? x))];
}

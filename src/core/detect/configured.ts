/**
 * What systemd would run for a unit: its command line with each argument's source, environment, ExecStartPre
 * steps, how it runs the process (limits, umask, user, stop), its state and enable links. Every [Service]
 * setting is carried, named as not carried, or a reason to refuse (see systemd/service-settings.ts).
 */
import type { Host } from '../host.js';
import { expandCommand, type SourcedArg } from '../systemd/exec-line.js';
import { type ResolvedUnit, resolveUnit } from '../systemd/resolve-unit.js';
import { type RunSettings, runSettings } from '../systemd/run-settings.js';
import { serviceSettings } from '../systemd/service-settings.js';
import { enableLinks, type UnitLink } from '../systemd/unit-links.js';
import { unitState } from '../systemd/unit-state.js';

export interface ConfiguredStart {
  readonly argv: string[];
  readonly unit: string;
  readonly files: string[];
  readonly env: Record<string, string>;
  readonly execStartPre: { readonly argv: string[]; readonly ignoreFailure: boolean; readonly line: string }[];
  readonly masked: boolean;
  readonly active: string | null;
  readonly enabled: string | null;
  /** After= and Wants= of the unit, to carry the boot order over. */
  readonly after: string[];
  readonly wants: string[];
  /** Requires= of the unit (a .socket there means socket activation). */
  readonly requires: string[];
  /** OOMScoreAdjust= of the unit (what systemd gave the process before it started); 0 when unset. */
  readonly oomScoreAdjust: number;
  /** How systemd runs the process: limits, umask, directory, nice, user, how it is stopped. */
  readonly run: RunSettings;
  /** Its enable links as they are, to be restored exactly by a rollback. */
  readonly links: UnitLink[];
}

export interface ConfiguredResult {
  readonly configured: ConfiguredStart | null;
  /** The expansion's arguments with their origins, to give each flag its source. */
  readonly args: SourcedArg[];
  readonly warnings: string[];
  readonly refusal: string | null;
}

export async function detectConfigured(host: Host, unitName: string): Promise<ConfiguredResult> {
  const warnings: string[] = [];
  let unit: ResolvedUnit;
  try {
    // Through a mask: after a migration masked it, the unit still says how it was (and would be) started.
    unit = await resolveUnit(host.files, unitName, { hostname: host.hostname }, { ignoreMask: true, ignoreFace: true });
  } catch (error) {
    return {
      configured: null,
      args: [],
      warnings: [`cannot read ${unitName}: ${(error as Error).message}`],
      refusal: null,
    };
  }
  const settings = serviceSettings(unit);
  const run = runSettings(unit);
  warnings.push(...unit.problems, ...unit.errors, ...settings.notCarried, ...run.problems);
  if (unit.masked) warnings.push(`${unitName} is masked`);
  const exec = unit.execStart[0];
  if (!exec) return { configured: null, args: [], warnings, refusal: settings.refusal };
  const expansion = expandCommand(exec, unit.environment);
  const { active, enabled } = await unitState(host.runner, unitName);
  const configured: ConfiguredStart = {
    argv: expansion.args.map((a) => a.arg),
    unit: unit.fragment ?? unitName,
    files: [
      ...(unit.fragment ? [unit.fragment] : []),
      ...unit.dropIns,
      ...unit.environmentFiles.flatMap((f) => f.read),
    ],
    env: Object.fromEntries([...unit.environment].map(([k, v]) => [k, v.value])),
    execStartPre: unit.execStartPre.map((c) => ({
      argv: expandCommand(c, unit.environment).args.map((a) => a.arg),
      ignoreFailure: c.ignoreFailure,
      line: `${c.origin.file}:${c.origin.line}`,
    })),
    masked: unit.masked,
    active: active || null,
    enabled: enabled || null,
    after: unit.all('Unit', 'After').flatMap((e) => e.value.split(/\s+/)),
    wants: unit.all('Unit', 'Wants').flatMap((e) => e.value.split(/\s+/)),
    requires: unit.all('Unit', 'Requires').flatMap((e) => e.value.split(/\s+/)),
    links: await enableLinks(host.files, unitName),
    oomScoreAdjust: Number(unit.all('Service', 'OOMScoreAdjust').at(-1)?.value ?? 0) || 0,
    run: run.settings,
  };
  return { configured, args: expansion.args, warnings, refusal: settings.refusal };
}

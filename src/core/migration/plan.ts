/**
 * The migration plan: every file to write (with what is there now) and every step, in order.
 * One plan, two consumers: `plan`/the preview show this object, and apply carries out this object,
 * from the journal when resumed, so what was shown is what is done.
 */
import path from 'node:path/posix';
import { type Detection, type DetectOptions, detect, KUBELET_UNIT } from '../detect/detect.js';
import type { FileReader, Host } from '../host.js';
import { DEFAULT_RUN } from '../systemd/run-settings.js';
import type { UnitLink } from '../systemd/unit-links.js';
import {
  addIncludeSection,
  renderKubeletGuardDropIn,
  renderProgramFile,
  renderSupervisorDropIn,
  renderWrapper,
} from './render-files.js';
import { type ExpectedRun, expectedRun } from './run-check.js';
import { carriedSettings } from './run-lines.js';
import { PlanRefused, supervisorTarget } from './supervisor-target.js';

export { STATE_DIR } from './state-dir.js';
/** supervisord's OOM score when it guards kubelet alone: as protected as kubelet (which sets -999 itself). */
export const SUPERVISOR_OOM_SCORE = -999;

export type FileRole = 'wrapper' | 'program' | 'supervisor-dropin' | 'kubelet-guard' | 'supervisor-config';

export interface PlannedFile {
  readonly path: string;
  readonly role: FileRole;
  readonly content: string;
  readonly mode: number;
  /** What is there now; null when the file is new. */
  readonly before: string | null;
  readonly why: string;
}

export type PlanStep =
  | {
      readonly id: string;
      readonly kind: 'install-supervisor';
      readonly title: string;
      readonly command: readonly string[];
    }
  | { readonly id: string; readonly kind: 'mkdir'; readonly title: string; readonly path: string }
  | { readonly id: string; readonly kind: 'write'; readonly title: string; readonly path: string }
  | {
      readonly id: string;
      readonly kind: 'systemctl';
      readonly title: string;
      readonly args: readonly string[];
      readonly okExitCodes?: readonly number[];
    }
  | { readonly id: string; readonly kind: 'supervisor-reread'; readonly title: string }
  | { readonly id: string; readonly kind: 'stop-systemd-kubelet'; readonly title: string }
  | { readonly id: string; readonly kind: 'supervisor-add'; readonly title: string }
  | { readonly id: string; readonly kind: 'supervisor-start-unit'; readonly title: string }
  | { readonly id: string; readonly kind: 'verify'; readonly title: string };

export interface Plan {
  readonly version: 1;
  readonly createdAt: string;
  readonly tool: string;
  readonly program: string;
  readonly argv: string[];
  readonly files: PlannedFile[];
  readonly steps: PlanStep[];
  readonly supervisor: {
    readonly unit: string;
    readonly config: string;
    readonly programFile: string;
    readonly url: string | null;
    readonly wasRunning: boolean;
    readonly wasEnabled: boolean;
    readonly installed: boolean;
  };
  readonly kubelet: {
    readonly unit: string;
    readonly wasActive: boolean;
    readonly wasEnabled: boolean;
    readonly mask: boolean;
    readonly healthzUrl: string;
    /** The unit files and env files the argv came from, to notice drift later. */
    readonly sources: string[];
    /** kubelet.service's enable links before the migration (absent in journals of older versions). */
    readonly links?: UnitLink[];
    /** How systemd ran it, to be found again in /proc after the migration (absent in older journals). */
    readonly expect?: ExpectedRun;
  };
  /** How systemd ran the process and what carries each setting over (absent in older journals). */
  readonly carried?: string[];
  readonly warnings: string[];
}

/** Why a migration must not go ahead (the reason is one line for people). */
export { PlanRefused };

export interface PlanOptions {
  readonly program: string;
  readonly wrapperPath?: string;
  readonly logFile?: string;
  readonly now: Date;
  readonly tool: string;
}

async function currentText(files: FileReader, p: string): Promise<string | null> {
  const b = await files.read(p);
  return b === undefined ? null : b.toString('utf8');
}

/**
 * The plan, from the detection and the current text of the files it would write (shown as diffs):
 * everything else it needs about the node is in the detection, so planning probes nothing.
 */
export async function planMigration(d: Detection, files: FileReader, o: PlanOptions): Promise<Plan> {
  if (d.refusal) throw new PlanRefused(d.refusal);
  if (d.argv.length === 0) throw new PlanRefused('no kubelet command line found');
  if (d.running && d.running.managedBy === 'supervisord')
    throw new PlanRefused('kubelet already runs under supervisord');
  const wrapperPath = o.wrapperPath ?? '/etc/kubernetes/kubelet.sh';
  const logFile = o.logFile ?? '/var/log/kubelet/kubelet.log';
  const stamp = o.now.toISOString().replace(/\.\d+Z$/, 'Z');
  const header = `written by ${o.tool} on ${stamp} from kubelet.service`;
  const s = d.supervisor;
  const warnings: string[] = [];

  const { installCommand, unit: supUnit, config, programFile, includeToAdd, warning } = supervisorTarget(d, o.program);
  if (warning) warnings.push(warning);

  const c = d.configured;
  const carry = d.carry?.run ?? DEFAULT_RUN;
  const mask = !d.node.kubeletUnitInEtc;
  // Lowering supervisord's OOM score would hand it to every program it starts: only when kubelet is its only one.
  const others = s.programs.filter((p) => p !== o.program);
  const runtimeAfter = d.node.runtimeUnits;
  // kubelet needs the network whatever its unit said (KubeKey's says nothing), and the container runtime.
  const after = [...new Set(['network-online.target', ...(c?.after ?? []), ...runtimeAfter])];
  const wants = [...new Set(['network-online.target', ...(c?.wants ?? [])])];

  const planned: PlannedFile[] = [];
  const add = async (f: Omit<PlannedFile, 'before'>) =>
    planned.push({ ...f, before: await currentText(files, f.path) });
  if (includeToAdd && s.config) {
    const text = (await currentText(files, s.config)) ?? '';
    await add({
      path: s.config,
      role: 'supervisor-config',
      content: addIncludeSection(text, includeToAdd.pattern, `[include] ${header}`),
      mode: 0o644,
      why: 'supervisord has no [include]: one is added, nothing else changes',
    });
  }
  await add({
    path: wrapperPath,
    role: 'wrapper',
    mode: 0o755,
    why: "kubelet's environment, its ExecStartPre steps and its exact command line, then exec",
    content: renderWrapper({
      argv: d.argv,
      env: c?.env ?? {},
      execStartPre: c?.execStartPre ?? [],
      sourceFiles: c?.files ?? [],
      program: o.program,
      header,
      oomScoreAdjust: d.carry?.oomScoreAdjust ?? 0,
      unit: KUBELET_UNIT,
      run: carry,
    }),
  });
  await add({
    path: programFile,
    role: 'program',
    mode: 0o644,
    why: 'the supervisord program that runs the wrapper',
    content: renderProgramFile({ program: o.program, wrapperPath, logFile, header, run: carry, priority: 10 }),
  });
  await add({
    path: `/etc/systemd/system/${supUnit}.d/50-kubesup-tui.conf`,
    role: 'supervisor-dropin',
    mode: 0o644,
    why: `${supUnit} starts after what kubelet waited for, and leaves stopping kubelet to supervisord`,
    content: renderSupervisorDropIn(
      {
        after,
        wants,
        oomScoreAdjust: others.length ? null : SUPERVISOR_OOM_SCORE,
        killMode: carry.killMode === 'process' ? 'process' : 'mixed',
      },
      header,
    ),
  });
  if (others.length) {
    warnings.push(
      `supervisord keeps its OOM score: it also runs ${others.join(', ')}, which would inherit a lower one; Restart=always guards it instead`,
    );
  }
  if (!mask) {
    await add({
      path: '/etc/systemd/system/kubelet.service.d/99-kubesup-tui-supervised.conf',
      role: 'kubelet-guard',
      mode: 0o644,
      why: 'kubelet.service cannot be masked (its unit file is in /etc/systemd/system): systemd will not start it while supervised',
      content: renderKubeletGuardDropIn(programFile, header),
    });
  }
  for (const f of planned) {
    if (f.before !== null && f.role !== 'supervisor-config')
      warnings.push(`${f.path} exists and will be replaced (a backup is kept)`);
  }

  const wasRunning = s.pid !== null;
  const steps: PlanStep[] = [];
  if (installCommand)
    steps.push({
      id: 'install',
      kind: 'install-supervisor',
      title: `install supervisord (${installCommand.join(' ')})`,
      command: installCommand,
    });
  steps.push({ id: 'mkdir-log', kind: 'mkdir', title: `create ${path.dirname(logFile)}`, path: path.dirname(logFile) });
  for (const f of planned) steps.push({ id: `write:${f.path}`, kind: 'write', title: `write ${f.path}`, path: f.path });
  steps.push({ id: 'daemon-reload', kind: 'systemctl', title: 'systemctl daemon-reload', args: ['daemon-reload'] });
  if (wasRunning && !installCommand)
    steps.push({ id: 'reread', kind: 'supervisor-reread', title: `supervisord: reread its config (nothing restarts)` });
  steps.push({
    id: 'disable',
    kind: 'systemctl',
    title: 'systemctl disable kubelet.service',
    args: ['disable', 'kubelet.service'],
  });
  if (mask)
    steps.push({
      id: 'mask',
      kind: 'systemctl',
      title: 'systemctl mask kubelet.service',
      args: ['mask', 'kubelet.service'],
    });
  steps.push({ id: 'stop-kubelet', kind: 'stop-systemd-kubelet', title: 'stop the systemd kubelet' });
  if (wasRunning && !installCommand)
    steps.push({ id: 'add', kind: 'supervisor-add', title: `supervisord: add and start [program:${o.program}] only` });
  else steps.push({ id: 'start-supervisord', kind: 'supervisor-start-unit', title: `start ${supUnit}` });
  if (installCommand || s.unit?.enabled !== 'enabled')
    steps.push({
      id: 'enable-supervisord',
      kind: 'systemctl',
      title: `systemctl enable ${supUnit}`,
      args: ['enable', supUnit],
    });
  steps.push({
    id: 'verify',
    kind: 'verify',
    title: `verify: ${o.program} RUNNING, healthz ok, same command line, one kubelet`,
  });

  return {
    version: 1,
    createdAt: o.now.toISOString(),
    tool: o.tool,
    program: o.program,
    argv: d.argv,
    files: planned,
    steps,
    supervisor: {
      unit: supUnit,
      config,
      programFile,
      url: s.url,
      wasRunning,
      wasEnabled: s.unit?.enabled === 'enabled',
      installed: s.installed,
    },
    kubelet: {
      unit: 'kubelet.service',
      wasActive: c?.active === 'active' || d.running !== null,
      wasEnabled: c?.enabled === 'enabled',
      mask,
      healthzUrl: d.kubelet.healthz.url,
      sources: c?.files ?? [],
      links: c?.links ?? [],
      expect: expectedRun(d),
    },
    carried: carriedSettings(KUBELET_UNIT, carry, d.carry?.oomScoreAdjust ?? 0),
    warnings,
  };
}

/** Detects how kubelet starts on this node and plans its migration, with detection's warnings carried along. */
export async function planForNode(host: Host, options: DetectOptions & { readonly tool: string }): Promise<Plan> {
  const detection = await detect(host, options);
  const plan = await planMigration(detection, host.files, {
    program: options.program,
    now: new Date(host.clock.now()),
    tool: options.tool,
  });
  return { ...plan, warnings: [...detection.warnings, ...plan.warnings] };
}

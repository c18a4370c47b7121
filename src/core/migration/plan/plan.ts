/**
 * The migration plan: every file to write (with what is there now) and every step, in order.
 * One plan, two consumers: `plan`/the preview show this object, and apply carries out this object,
 * from the journal when resumed, so what was shown is what is done.
 */
import path from 'node:path/posix';
import { type Detection, type DetectOptions, detect, KUBELET_UNIT } from '../../detect/detect.js';
import { detectUnit } from '../../detect/detect-unit.js';
import { healthTarget } from '../../health/probe.js';
import type { FileReader, Host } from '../../host.js';
import { faceFiles, faceHelperPath } from './face.js';
import {
  addIncludeSection,
  renderProgramFile,
  renderSupervisorDropIn,
  renderUnitGuardDropIn,
  wrapperText,
} from './render-files.js';
import { carriedSettings } from './run-lines.js';
import { kubeletSource, type ServiceSource, unitSource } from './service-source.js';
import { PlanRefused, type SupervisorTarget, supervisorTarget } from './supervisor-target.js';

export { STATE_DIR } from './state-dir.js';
/** supervisord's OOM score when it guards kubelet alone: as protected as kubelet (which sets -999 itself). */
export const SUPERVISOR_OOM_SCORE = -999;

import type { Plan, PlannedFile, PlanStep } from './plan-model.js';
import { exposedSecrets } from './secret-check.js';

export type { FileRole, Plan, PlannedFile, PlanStep } from './plan-model.js';

/** Why a migration must not go ahead (the reason is one line for people). */
export { PlanRefused };

export interface PlanOptions {
  readonly program: string;
  readonly wrapperPath?: string;
  readonly logFile?: string;
  readonly now: Date;
  readonly tool: string;
  /** The command that runs this tool: the face's wrapper runs its `start-line` at each start. */
  readonly self?: readonly string[];
}

async function currentText(files: FileReader, p: string): Promise<string | null> {
  const b = await files.read(p);
  return b === undefined ? null : b.toString('utf8');
}

/** The plan for kubelet, from its detection (see planService). */
export function planMigration(d: Detection, files: FileReader, o: PlanOptions): Promise<Plan> {
  return planService(kubeletSource(d), files, o);
}

/**
 * The plan, from what is known of the service and the current text of the files it would write (shown as
 * diffs): everything else it needs about the node is in the source, so planning probes nothing.
 */
export async function planService(d: ServiceSource, files: FileReader, o: PlanOptions): Promise<Plan> {
  if (d.refusal) throw new PlanRefused(d.refusal);
  if (d.argv.length === 0) throw new PlanRefused(`no ${d.name} command line found`);
  if (d.runBy === 'supervisord') throw new PlanRefused(`${d.name} already runs under supervisord`);
  const wrapperPath = o.wrapperPath ?? d.wrapperPath;
  const logFile = o.logFile ?? d.logFile;
  const stamp = o.now.toISOString().replace(/\.\d+Z$/, 'Z');
  const header = `written by ${o.tool} on ${stamp} from ${d.unit}`;
  const s = d.supervisor;
  const target = supervisorTarget(s, d.node, o.program, d.name);
  const { unit: supUnit, config, programFile } = target;
  const c = d.configured;
  // kubelet.service stays as the face of the supervised kubelet (face.ts); other units are masked or guarded.
  const face = d.unit === 'kubelet.service';
  const mask = !face && !d.node.unitInEtc;
  const at = { header, wrapperPath, logFile, mask, face };
  const { planned, warnings } = await plannedFiles(d, files, o, target, at);
  if (target.warning) warnings.unshift(target.warning);
  const steps = planSteps(d, o, target, planned, at);
  const wasRunning = s.pid !== null;

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
    service: {
      unit: d.unit,
      wasActive: c?.active === 'active' || d.runBy !== null,
      wasEnabled: c?.enabled === 'enabled',
      mask,
      face,
      health: d.health,
      sources: c?.files ?? [],
      links: c?.links ?? [],
      expect: d.expect,
    },
    carried: carriedSettings(d.unit, d.run, d.oomScoreAdjust),
    warnings,
  };
}

/** Where the files go, and how the unit is kept from running the service: masked, guarded or made its face. */
type Placement = Readonly<Record<'header' | 'wrapperPath' | 'logFile', string> & Record<'mask' | 'face', boolean>>;

/** The files to write, each with what is there now; and the warnings they bring (a file to replace...). */
async function plannedFiles(
  d: ServiceSource,
  files: FileReader,
  o: PlanOptions,
  target: SupervisorTarget,
  at: Placement,
): Promise<{ planned: PlannedFile[]; warnings: string[] }> {
  const { header, wrapperPath, logFile, mask, face } = at;
  const { unit: supUnit, programFile, includeToAdd } = target;
  const s = d.supervisor;
  const killMode = d.run.killMode === 'process' ? 'process' : 'mixed';
  const warnings: string[] = [];
  // Lowering supervisord's OOM score would hand it to every program it starts: only when this is its only one.
  const others = s.programs.filter((p) => p !== o.program);

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
    // root's alone: it holds the unit's environment values (a token from a 0600 EnvironmentFile= among them),
    // and supervisord runs it as root.
    mode: 0o700,
    why:
      `${d.name}'s environment, how systemd ran it, its ExecStartPre steps and its exact command line, then exec ` +
      "(mode 700: it holds the unit's environment values)",
    content: wrapperText(
      d,
      o.program,
      header,
      face && o.self ? [...o.self, 'start-line', '--unit', d.unit] : undefined,
    ),
  });
  await add({
    path: programFile,
    role: 'program',
    mode: 0o644,
    why: 'the supervisord program that runs the wrapper',
    content: renderProgramFile({ program: o.program, wrapperPath, logFile, header, run: d.run, priority: d.priority }),
  });
  await add({
    path: `/etc/systemd/system/${supUnit}.d/${d.supervisorDropIn}`,
    role: 'supervisor-dropin',
    mode: 0o644,
    why: `${supUnit} starts after what ${d.name} waited for, and leaves stopping ${d.name} to supervisord`,
    content: renderSupervisorDropIn(
      { after: d.after, wants: d.wants, oomScoreAdjust: others.length ? null : SUPERVISOR_OOM_SCORE, killMode },
      header,
    ),
  });
  if (others.length) {
    warnings.push(
      `supervisord keeps its OOM score: it also runs ${others.join(', ')}, which would inherit a lower one; ` +
        'Restart=always guards it instead',
    );
  }
  if (face) {
    const input = {
      unit: d.unit,
      program: o.program,
      target,
      logFile,
      helperPath: faceHelperPath(wrapperPath),
      header,
    };
    for (const f of faceFiles(input, d.name)) await add(f);
  } else if (!mask) {
    await add({
      path: `/etc/systemd/system/${d.unit}.d/99-kubesup-tui-supervised.conf`,
      role: 'unit-guard',
      mode: 0o644,
      why:
        `${d.unit} cannot be masked (its unit file is in /etc/systemd/system): ` +
        'systemd will not start it while supervised',
      content: renderUnitGuardDropIn(d.name, programFile, header),
    });
  }
  for (const f of planned) {
    if (f.before !== null && f.role !== 'supervisor-config')
      warnings.push(`${f.path} exists and will be replaced (a backup is kept)`);
  }

  return { planned, warnings };
}

/** The steps, in order: what runs before what is the decision here (see the stop and mask below). */
function planSteps(
  d: ServiceSource,
  o: PlanOptions,
  target: SupervisorTarget,
  planned: readonly PlannedFile[],
  at: Placement,
): PlanStep[] {
  const { logFile, mask, face } = at;
  const { installCommand, unit: supUnit } = target;
  const s = d.supervisor;
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
  // The face stays enabled as the unit was: it starts at boot after supervisord, to forward the log.
  if (!face)
    steps.push({ id: 'disable', kind: 'systemctl', title: `systemctl disable ${d.unit}`, args: ['disable', d.unit] });
  const maskStep: PlanStep = {
    id: 'mask',
    kind: 'systemctl',
    title: `systemctl mask ${d.unit}`,
    args: ['mask', d.unit],
  };
  // kubelet's id is the one older journals know (a resumed run finds its steps by id).
  const stopId = d.unit === 'kubelet.service' ? 'stop-kubelet' : `stop-${o.program}`;
  const stopStep: PlanStep = { id: stopId, kind: 'stop-systemd-unit', title: `stop the systemd ${d.name}` };
  // mask reloads systemd, and a masked unit loses its settings: stopped then, a KillMode=process unit
  // (containerd) would be stopped as control-group, its shims (every container) killed. So it stops first.
  if (d.run.killMode === 'process') steps.push(stopStep, ...(mask ? [maskStep] : []));
  else steps.push(...(mask ? [maskStep] : []), stopStep);
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
  if (face)
    steps.push({
      id: 'start-face',
      kind: 'systemctl',
      title: `systemctl start ${d.unit} (its face: forwards the log, runs no second ${d.name})`,
      args: ['start', d.unit],
    });
  const oneKubelet = d.unit === 'kubelet.service' ? ', one kubelet' : '';
  steps.push({
    id: 'verify',
    kind: 'verify',
    title: `verify: ${o.program} RUNNING, healthy (${healthTarget(d.health)}), same command line${oneKubelet}`,
  });

  return steps;
}

/** Detects how the unit starts on this node and plans its migration, with detection's warnings carried along. */
export async function planForNode(
  host: Host,
  options: DetectOptions & Pick<PlanOptions, 'tool' | 'self'> & { readonly unit?: string; readonly healthUrl?: string },
): Promise<Plan> {
  const unit = options.unit ?? KUBELET_UNIT;
  const o = { program: options.program, now: new Date(host.clock.now()), tool: options.tool, self: options.self };
  if (unit === KUBELET_UNIT) {
    const detection = await detect(host, options);
    const plan = await planMigration(detection, host.files, o);
    return { ...plan, warnings: [...detection.warnings, ...plan.warnings, ...(await exposedSecrets(host, plan))] };
  }
  const detection = await detectUnit(host, unit, {
    program: options.program,
    ...(options.supervisor ? { supervisor: options.supervisor } : {}),
    ...(options.healthUrl ? { healthUrl: options.healthUrl } : {}),
  });
  const plan = await planService(unitSource(detection), host.files, o);
  return { ...plan, warnings: [...detection.warnings, ...plan.warnings, ...(await exposedSecrets(host, plan))] };
}

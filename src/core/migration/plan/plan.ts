/**
 * The migration plan: every file to write (with what is there now) and every step, in order.
 * One plan, two consumers: `plan`/the preview show this object, and apply carries out this object,
 * from the journal when resumed, so what was shown is what is done.
 */
import { type Detection, type DetectOptions, detect, KUBELET_UNIT } from '../../detect/detect.js';
import { detectUnit } from '../../detect/detect-unit.js';
import { textfileDir } from '../../detect/textfile-dir.js';
import type { FileReader, Host } from '../../host.js';
import type { AgentOptions } from './agent.js';
import { agentPart } from './agent-plan.js';
import { faceFiles, faceHelperPath, faceKillMode } from './face.js';
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
import { type ToolSelf, toolCommand } from './tool-copy.js';

export { STATE_DIR } from './state-dir.js';
/** supervisord's OOM score when it guards kubelet alone: as protected as kubelet (which sets -999 itself). */
export const SUPERVISOR_OOM_SCORE = -999;

import type { Plan, PlannedFile } from './plan-model.js';
import { type Placement, planSteps } from './plan-steps.js';
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
  /** This tool, copied to the node: the face's wrapper runs its `start-line` at a start (tool-copy.ts). */
  readonly self?: ToolSelf;
  /** The resident agent to install with the unit (agent-plan.ts); absent: none. */
  readonly agent?: AgentOptions;
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
  // Every unit stays as the face of its supervised program (face.ts says how each differs). Older journals
  // masked or guarded it: their rollback still reads mask below.
  const face = true;
  const mask = !face && !d.node.unitInEtc;
  const agent = agentPart(d, { program: o.program, programFile, tool: o.tool }, o.agent);
  const at = { header, wrapperPath, logFile, mask, face, agent: agent.part };
  const { planned, warnings } = await plannedFiles(d, files, o, target, at);
  if (target.warning) warnings.unshift(target.warning);
  warnings.push(...agent.warnings);
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
    ...(agent.part ? { agent: agent.part.program } : {}),
    carried: [...carriedSettings(d.unit, d.run, d.oomScoreAdjust, agent.part !== null), ...(agent.part?.words ?? [])],
    warnings,
  };
}

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
    content: wrapperText(d, o.program, header, {
      ...(face && o.self ? { startLine: [...toolCommand(o.self), 'start-line', '--unit', d.unit] } : {}),
      agentLines: at.agent?.wrapperLines ?? [],
    }),
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
      killMode: faceKillMode(d.unit, d.run.killMode),
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
  for (const f of at.agent?.files ?? []) await add(f);
  for (const f of planned) {
    if (f.before !== null && f.before !== f.content && f.role !== 'supervisor-config')
      warnings.push(`${f.path} exists and will be replaced (a backup is kept)`);
  }

  return { planned, warnings };
}

/** The agent's options with node_exporter's textfile folder found on the node when none was given. */
async function agentOptions(host: Host, agent: AgentOptions | undefined): Promise<AgentOptions | undefined> {
  if (!agent || agent.textfileDir) return agent;
  const found = await textfileDir(host);
  return found ? { ...agent, textfileDir: found.dir, textfileFrom: found.from } : agent;
}

/** Detects how the unit starts on this node and plans its migration, with detection's warnings carried along. */
export async function planForNode(
  host: Host,
  options: DetectOptions &
    Pick<PlanOptions, 'tool' | 'self' | 'agent'> & { readonly unit?: string; readonly healthUrl?: string },
): Promise<Plan> {
  const unit = options.unit ?? KUBELET_UNIT;
  const now = new Date(host.clock.now());
  const o = {
    program: options.program,
    now,
    tool: options.tool,
    self: options.self,
    agent: await agentOptions(host, options.agent),
  };
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

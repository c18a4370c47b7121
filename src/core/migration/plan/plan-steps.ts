/** The plan's steps, in order, from its files and where they go. */
import path from 'node:path/posix';
import { healthTarget } from '../../health/probe.js';
import { type AgentPart, agentCompileStep, agentStartStep, agentWriteStep } from './agent-plan.js';
import type { PlannedFile, PlanStep } from './plan-model.js';
import type { ServiceSource } from './service-source.js';
import type { SupervisorTarget } from './supervisor-target.js';
import { type ToolSelf, toolCopyStep } from './tool-copy.js';

/** Where the files go, and how the unit is kept from running the service: masked, guarded or made its face. */
export type Placement = Readonly<
  Record<'header' | 'wrapperPath' | 'logFile', string> & Record<'mask' | 'face', boolean> & { agent: AgentPart | null }
>;

/** The steps, in order: what runs before what is the decision here (see the stop and mask below). */
export function planSteps(
  d: ServiceSource,
  o: { readonly program: string; readonly self?: ToolSelf },
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
  const agentPaths = new Set(at.agent?.files.map((f) => f.path));
  for (const f of planned.filter((p) => !agentPaths.has(p.path)))
    steps.push({ id: `write:${f.path}`, kind: 'write', title: `write ${f.path}`, path: f.path });
  if (at.agent) steps.push(agentWriteStep(at.agent), agentCompileStep(at.agent));
  if (face && o.self) steps.push(toolCopyStep(o.self));
  steps.push({ id: 'daemon-reload', kind: 'systemctl', title: 'systemctl daemon-reload', args: ['daemon-reload'] });
  const supervisorRuns = wasRunning && !installCommand;
  if (supervisorRuns)
    steps.push({ id: 'reread', kind: 'supervisor-reread', title: `supervisord: reread its config (nothing restarts)` });
  // The agent before the program, and before the stop (its start is not part of the gap): the wrapper finds
  // its FIFO at the first start. Started with supervisord when supervisord starts here.
  const agentStart = at.agent ? [agentStartStep(o.program)] : [];
  if (supervisorRuns) steps.push(...agentStart);
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
  if (supervisorRuns)
    steps.push({ id: 'add', kind: 'supervisor-add', title: `supervisord: add and start [program:${o.program}] only` });
  else steps.push({ id: 'start-supervisord', kind: 'supervisor-start-unit', title: `start ${supUnit}` }, ...agentStart);
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
  const ready = at.agent?.program.notify ? ', its READY=1 (Type=notify)' : '';
  steps.push({
    id: 'verify',
    kind: 'verify',
    title: `verify: ${o.program} RUNNING, healthy (${healthTarget(d.health)}), same command line${oneKubelet}${ready}`,
  });

  return steps;
}

/**
 * A real supervisord run as a plain process in a temporary folder (its own socket, logs and pidfile there), with
 * the kubelet stand-in (test/resident/fixtures/standin.py) started by a wrapper like the migration's, and
 * kubesup-agent as its event listener, run by supervisord's own interpreter. Nothing of this machine is touched.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirePackage } from '../helpers/skips.js';
import { prepareRelease } from '../node/supervisor-releases.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const AGENT = path.join(REPO, 'src/resident/kubesup-agent.py');
export const STANDIN = path.join(REPO, 'test/resident/fixtures/standin.py');
/** The labels of the stand-in program's samples. */
export const KUBELET = '{name="kubelet",group="kubelet"}';
/** Debian's supervisord 4.2.5 (Python 3) and 3.4.0 (EPEL 7's, Python 2.7) from its upstream source. */
export const RELEASES = ['debian', '3.4.0'] as const;
export type Release = (typeof RELEASES)[number];

export interface ProgramOptions {
  watchdogSec?: number;
  killGrace?: number;
  healthz?: { interval: number; timeout: number; failures: number; grace: number };
  /** Ignores SIGTERM and SIGABRT: only the agent's SIGKILL ends it. */
  stubborn?: boolean;
  /** The respawn FIFO (on unless false). */
  alive?: boolean;
  /** Type=notify: NOTIFY_SOCKET in the wrapper, and the agent's notify keys (NotifyAccess=, TimeoutStartSec=). */
  notify?: { access: 'main' | 'all'; startTimeoutSec: number | null };
}
export interface NodeOptions {
  release: Release;
  program?: ProgramOptions;
  /** Without the agent: supervisord alone (the bench's reference). */
  agent?: boolean;
  /** Extra keys of the agent's config (e.g. a fake kmsg). */
  config?: Record<string, unknown>;
  /** supervisord's socket asks for a user and password (HTTP Basic), given to supervisorctl and the agent. */
  auth?: boolean;
  /** The agent file to run (the bench compares variants); AGENT unless set. */
  agentFile?: string;
}
export interface ExitRecord {
  time: number;
  program: string;
  pid: number | null;
  reason: string;
  detail: string;
  exit: number | null;
  signal: string | null;
}
export interface AgentState {
  restarts: Record<string, Record<string, number>>;
  history: ExitRecord[];
}

/** Why `release` cannot run here, or undefined; under KUBESUP_REQUIRE_ALL=1 (CI) a missing piece fails instead. */
export function missingRelease(release: Release): string | undefined {
  try {
    supervisorBinaries(release);
    return undefined;
  } catch (error) {
    return requirePackage(`supervisord ${release}: ${(error as Error).message}`);
  }
}

/** The interpreter `release` of supervisord runs on, with the agent's flags. */
export function interpreter(release: Release): [string, ...string[]] {
  return supervisorBinaries(release).python;
}

/** supervisord, supervisorctl and the interpreter supervisord runs on (the agent runs on it too). */
function supervisorBinaries(release: Release): {
  supervisord: string;
  supervisorctl: string;
  python: [string, ...string[]];
} {
  const dir = prepareRelease(release);
  const supervisord = dir ? path.join(dir, 'supervisord') : '/usr/bin/supervisord';
  if (!fs.existsSync(supervisord)) throw new Error(`${supervisord} is missing (apt-get install supervisor)`);
  const shebang = /^#!\s*(\S+)/.exec(fs.readFileSync(supervisord, 'utf8'))?.[1];
  if (!shebang) throw new Error(`${supervisord} has no #! line`);
  const python3 = spawnSync(shebang, ['-c', 'import sys; print(sys.version_info[0])'], { encoding: 'utf8' });
  const flags = python3.stdout.trim() === '3' ? ['-S', '-I'] : ['-S'];
  return {
    supervisord,
    supervisorctl: path.join(path.dirname(supervisord), 'supervisorctl'),
    python: [shebang, ...flags],
  };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `probe` every 25 ms until it returns something other than undefined/false, or fails saying `what`. */
export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

export class SupervisorNode {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-resident-'));
  readonly textfile = path.join(this.dir, 'textfile');
  readonly hangFile = path.join(this.dir, 'hang');
  readonly crashFile = path.join(this.dir, 'crash');
  readonly kmsg = path.join(this.dir, 'kmsg');
  private child: ChildProcess | null = null;
  private readonly bin: ReturnType<typeof supervisorBinaries>;

  private constructor(
    readonly options: NodeOptions,
    readonly healthzPort: number,
  ) {
    this.bin = supervisorBinaries(options.release);
    // No textfile folder made here: the agent makes it (a distribution's, before node_exporter is installed).
    fs.writeFileSync(this.kmsg, '');
    this.writeFiles();
  }

  static async start(options: NodeOptions): Promise<SupervisorNode> {
    const node = new SupervisorNode(options, await freePort());
    try {
      await node.boot();
    } catch (error) {
      await node.stop(); // no supervisord left behind; its folder stays for a look
      throw new Error(`${(error as Error).message} (see ${node.dir})`);
    }
    return node;
  }

  private writeFiles(): void {
    const { dir, options } = this;
    const program = options.program ?? {};
    const run = path.join(dir, 'run');
    const env = [`STANDIN_HANG=${this.hangFile}`, `STANDIN_CRASH=${this.crashFile}`];
    if (program.stubborn) env.push('STANDIN_STUBBORN=1');
    if (program.healthz) env.push(`STANDIN_HEALTHZ_PORT=${this.healthzPort}`);
    if (program.watchdogSec)
      env.push(`NOTIFY_SOCKET=${run}/notify/kubelet`, `WATCHDOG_USEC=${program.watchdogSec * 1e6}`, 'WATCHDOG_PID=$$');
    else if (program.notify) env.push(`NOTIFY_SOCKET=${run}/notify/kubelet`);
    const { access, startTimeoutSec } = program.notify ?? {};
    const notify = program.notify ? { notify: true, notify_access: access, start_timeout_sec: startTimeoutSec } : {};
    // The wrapper the migration will write, plus the start timestamp the tests and the bench read.
    const wrapper = [
      '#!/bin/bash',
      `echo "$$ $EPOCHREALTIME" >> ${dir}/starts`,
      `[ -p ${run}/alive/kubelet ] && exec 9<>"${run}/alive/kubelet"`,
      // The migration's wait for the agent's socket: at boot a READY=1 sent before it is bound would be lost.
      ...(program.notify
        ? [`for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S ${run}/notify/kubelet ] && break; sleep 0.5; done`]
        : []),
      `export ${env.join(' ')}`,
      `exec /usr/bin/python3 -S -I ${STANDIN}`,
    ];
    fs.writeFileSync(path.join(dir, 'wrapper.sh'), `${wrapper.join('\n')}\n`, { mode: 0o755 });
    const healthz = program.healthz && { url: `http://127.0.0.1:${this.healthzPort}/healthz`, ...program.healthz };
    const config = {
      textfile_dir: this.textfile,
      state_dir: path.join(dir, 'state'),
      run_dir: run,
      supervisor_socket: path.join(dir, 'supervisor.sock'),
      kmsg: this.kmsg,
      supervisor_auth: options.auth ? 'kubesup:s3cret' : null,
      programs: {
        kubelet: {
          unit: 'kubelet.service',
          alive_fifo: program.alive ?? true,
          watchdog_sec: program.watchdogSec ?? null,
          kill_grace: program.killGrace ?? 10,
          healthz: healthz ?? null,
          ...notify,
        },
      },
      ...options.config,
    };
    fs.writeFileSync(path.join(dir, 'agent.json'), JSON.stringify(config));
    const agent = [options.agentFile ?? AGENT, '--config', path.join(dir, 'agent.json')];
    const listener = [
      '[eventlistener:kubesup-agent]',
      `command=${[...this.bin.python, ...agent].join(' ')}`,
      'events=PROCESS_STATE,SUPERVISOR_STATE_CHANGE',
      `stderr_logfile=${dir}/agent.log`,
      'buffer_size=100',
    ];
    const credentials = options.auth ? '\nusername=kubesup\npassword=s3cret' : '';
    const conf = [
      `[unix_http_server]\nfile=${dir}/supervisor.sock${credentials}`,
      `[supervisord]\nlogfile=${dir}/supervisord.log\npidfile=${dir}/supervisord.pid\nchildlogdir=${dir}`,
      '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      `[supervisorctl]\nserverurl=unix://${dir}/supervisor.sock${credentials}`,
      `[program:kubelet]\ncommand=${dir}/wrapper.sh\nstartsecs=1\nstartretries=1000\nautorestart=true\n` +
        `stopwaitsecs=3\nstdout_logfile=${dir}/kubelet.log\nredirect_stderr=true`,
      ...(options.agent === false ? [] : [listener.join('\n')]),
    ];
    fs.writeFileSync(path.join(dir, 'supervisord.conf'), `${conf.join('\n\n')}\n`);
  }

  /** Starts supervisord and waits until the stand-in runs (and the agent wrote its first file). */
  async boot(): Promise<void> {
    const log = fs.openSync(path.join(this.dir, 'supervisord.out'), 'a');
    this.child = spawn(this.bin.supervisord, ['-n', '-c', path.join(this.dir, 'supervisord.conf')], {
      stdio: ['ignore', log, log],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
    });
    fs.closeSync(log);
    await waitFor(() => this.current(), 'the stand-in to run');
    if (this.options.agent !== false)
      await waitFor(
        () => this.metric('node_supervisord_up') === 1 && this.metric('node_supervisord_state', KUBELET) === 20,
        'the metrics saying kubelet is RUNNING',
      );
  }

  /** Stops supervisord: SIGTERM (an orderly shutdown) or SIGKILL (gone at once: the agent sees its stdin close). */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    }
    // An orphaned stand-in (supervisord killed) would keep the healthz port: ended like a reboot would.
    for (const { pid } of this.starts()) if (alive(pid)) process.kill(pid, 'SIGKILL');
  }

  async down(): Promise<void> {
    await this.stop().finally(() => fs.rmSync(this.dir, { recursive: true, force: true }));
  }

  ctl(...args: string[]): string {
    const r = spawnSync(this.bin.supervisorctl, ['-c', path.join(this.dir, 'supervisord.conf'), ...args], {
      encoding: 'utf8',
    });
    return r.stdout + r.stderr;
  }

  /** Every start of the stand-in (its wrapper's pid, which exec keeps, and when it started, in epoch seconds). */
  starts(): { pid: number; time: number }[] {
    const text = fs.existsSync(path.join(this.dir, 'starts')) ? this.read('starts') : '';
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => ({ pid: Number(line.split(' ')[0]), time: Number(line.split(' ')[1]) }));
  }

  /** The pid of the stand-in running now (the newest start, alive), or undefined. */
  current(): number | undefined {
    const last = this.starts().at(-1);
    return last && alive(last.pid) ? last.pid : undefined;
  }

  read = (name: string): string => fs.readFileSync(path.join(this.dir, name), 'utf8');

  state(): AgentState | undefined {
    const file = path.join(this.dir, 'state/agent-state.json');
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as AgentState) : undefined;
  }

  metricsText(): string {
    const file = path.join(this.textfile, 'kubesup.prom');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  /** One sample of the metrics file, by name and exact labels (`{name="kubelet",reason="crashed"}`). */
  metric(name: string, labels = ''): number | undefined {
    const line = this.metricsText()
      .split('\n')
      .find((l) => l.startsWith(`${name}${labels} `));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  }

  restarts(reason: string): number | undefined {
    return this.metric('kubesup_program_restarts_total', `{name="kubelet",reason="${reason}"}`);
  }
}

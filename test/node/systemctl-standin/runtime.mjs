// The systemctl stand-in's running units: state under /run, a manager per unit that starts, restarts and
// stops it, and the unit's processes found by INVOCATION_ID (see main.mjs).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { exists, expandCommand, isMasked, loadUnit, readText, STATE, unitEnvironment } from './unit-files.mjs';

/** The stand-in's entry, run again as each unit's manager (`__run-unit UNIT`). */
const SELF = new URL('./main.mjs', import.meta.url).pathname;

// ---- runtime state -------------------------------------------------------------------------------
const stateDir = (unit) => path.join(STATE, unit);
export function readState(unit) {
  const t = readText(path.join(stateDir(unit), 'state.json'));
  return t ? JSON.parse(t) : { active: 'inactive', sub: 'dead', mainPid: 0, nRestarts: 0 };
}
function writeState(unit, s) {
  fs.mkdirSync(stateDir(unit), { recursive: true });
  const tmp = path.join(stateDir(unit), `state.json.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(s));
  fs.renameSync(tmp, path.join(stateDir(unit), 'state.json'));
}
const alive = (pid) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    const st = readText(`/proc/${pid}/stat`) ?? '';
    return !/^\d+ \(.*\) Z/.test(st);
  } catch {
    return false;
  }
};
function pidsOfInvocation(id) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const env = readText(`/proc/${d}/environ`);
    if (env?.split('\0').includes(`INVOCATION_ID=${id}`)) out.push(Number(d));
  }
  return out;
}
// A unit's processes are, on a node booted with unit cgroups (boot.sh names their parent), as for systemd those
// in its cgroup: in this machine's name=systemd hierarchy (no controller: it limits nothing). A process moved
// out of it (a shim handed over to containerd.service) is no longer the unit's. Otherwise, or without that
// hierarchy: those that carry the unit's INVOCATION_ID.
const CGROUP_ROOT = '/sys/fs/cgroup/systemd';
function unitCgroup(unit) {
  const parent = readText('/run/kubesup-standin/cgroup-parent')?.trim();
  if (!parent || !exists(path.join(CGROUP_ROOT, 'cgroup.procs'))) return null;
  return path.join(CGROUP_ROOT, parent, 'system.slice', unit);
}
function joinUnitCgroup(unit) {
  const dir = unitCgroup(unit);
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cgroup.procs'), `${process.pid}\n`);
}
function pidsOfUnit(unit, invocation) {
  const dir = unitCgroup(unit);
  if (!dir) return invocation ? pidsOfInvocation(invocation) : [];
  return (readText(path.join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean).map(Number);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function parseSec(v, dflt) {
  if (v === undefined) return dflt;
  const m = /^(\d+(?:\.\d+)?)(ms|s|min)?$/.exec(v.trim());
  if (!m) return dflt;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'min' ? n * 60 : n;
}

// The per-unit manager: runs ExecStartPre/ExecStart, restarts per Restart=, stops on request.
const LIMITS = {
  LimitNOFILE: 'nofile',
  LimitNPROC: 'nproc',
  LimitCORE: 'core',
  LimitMEMLOCK: 'memlock',
  LimitSTACK: 'stack',
};

/** Shell commands that give the process the unit's limits and OOM score; null when the unit sets none. */
function execSetup(u) {
  const out = [];
  for (const [setting, resource] of Object.entries(LIMITS)) {
    const v = u.settings.get(`Service.${setting}`);
    if (!v) continue;
    const [soft, hard = soft] = v.replace(/infinity/g, 'unlimited').split(':');
    out.push(`prlimit --pid $$ --${resource}=${soft}:${hard} || exit 205`);
  }
  const oom = u.settings.get('Service.OOMScoreAdjust');
  // systemd ignores a refused OOM score ("assuming containerized execution"), but fails on a refused limit.
  if (oom) out.push(`echo ${Number(oom)} 2>/dev/null > /proc/self/oom_score_adj || true`);
  return out.length ? out.join('; ') : null;
}

export async function runUnit(unit) {
  const u = loadUnit(unit);
  const type = u.settings.get('Service.Type') ?? 'simple';
  const restart = u.settings.get('Service.Restart') ?? 'no';
  const restartSec = parseSec(u.settings.get('Service.RestartSec'), 0.1);
  joinUnitCgroup(unit);
  let state = { ...readState(unit), managerPid: process.pid };
  let stopping = false;
  let child;
  process.on('SIGTERM', () => {
    stopping = true;
  });
  const invocation = crypto.randomBytes(16).toString('hex');
  const baseEnv = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    INVOCATION_ID: invocation,
  };
  while (true) {
    let env;
    try {
      env = { ...baseEnv, ...unitEnvironment(u) };
    } catch (e) {
      writeState(unit, { ...state, active: 'failed', sub: 'failed', mainPid: 0, invocation, error: e.message });
      return;
    }
    for (const pre of u.lists.get('Service.ExecStartPre') ?? []) {
      const argv = expandCommand(pre, env);
      const r = spawnSync(argv[0], argv.slice(1), { env, stdio: 'inherit' });
      if (r.status !== 0 && !pre.startsWith('-')) {
        env = null;
        break;
      }
    }
    const exec = (u.lists.get('Service.ExecStart') ?? [])[0];
    if (!env || !exec) {
      writeState(unit, { ...state, active: 'failed', sub: 'failed', mainPid: 0, invocation });
      if (!env && restart === 'always' && !stopping) {
        await sleep(restartSec * 1000);
        continue;
      }
      return;
    }
    const argv = expandCommand(exec, env);
    const logFd = fs.openSync(path.join(stateDir(unit), 'journal.log'), 'a');
    // Limit*= and OOMScoreAdjust= as systemd applies them, in the process before it execs the command (a
    // limit that cannot be set fails the start, as systemd's EXIT_LIMITS does; an OOM score it may not set is
    // left as it is).
    const setup = execSetup(u);
    child = setup
      ? spawn('/bin/sh', ['-c', `${setup}; exec "$0" "$@"`, ...argv], {
          env,
          stdio: ['ignore', logFd, logFd],
          detached: true,
        })
      : spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', logFd, logFd], detached: true, argv0: argv[0] });
    fs.closeSync(logFd);
    let exitInfo = await new Promise((resolve) => {
      child.on('error', (e) => resolve({ code: 203, error: e.message }));
      child.on('spawn', () => {
        if (type !== 'forking') {
          state = { ...state, active: 'active', sub: 'running', mainPid: child.pid, invocation, since: Date.now() };
          writeState(unit, state);
        }
      });
      child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    if (type === 'forking' && exitInfo.code === 0) {
      // The daemon forked away: its main pid is the oldest process of this invocation still alive.
      let main = 0;
      for (let i = 0; i < 50 && !main; i++) {
        main =
          pidsOfInvocation(invocation)
            .filter((p) => p !== process.pid)
            .sort((a, b) => a - b)[0] ?? 0;
        if (!main) await sleep(100);
      }
      state = { ...state, active: 'active', sub: 'running', mainPid: main, invocation, since: Date.now() };
      writeState(unit, state);
      while (alive(main) && !stopping) await sleep(100);
      exitInfo = { code: stopping ? 0 : 1 };
    }
    if (stopping) break;
    const failed = exitInfo.code !== 0 || exitInfo.signal;
    const again = restart === 'always' || (restart === 'on-failure' && failed);
    state = {
      ...state,
      active: again ? 'activating' : failed ? 'failed' : 'inactive',
      sub: again ? 'auto-restart' : failed ? 'failed' : 'dead',
      mainPid: 0,
      lastExit: exitInfo,
    };
    writeState(unit, state);
    if (!again) return;
    for (let waited = 0; waited < restartSec * 1000 && !stopping; waited += 50) await sleep(50);
    if (stopping) break;
    state = { ...state, nRestarts: (state.nRestarts ?? 0) + 1 };
  }
  writeState(unit, { ...readState(unit), active: 'inactive', sub: 'dead', mainPid: 0 });
}

export async function stopUnit(unit) {
  const u = loadUnit(unit);
  const s = readState(unit);
  if (s.managerPid && alive(s.managerPid)) {
    try {
      process.kill(s.managerPid, 'SIGTERM');
    } catch {}
  }
  // MAINPID while the main process runs, as systemd gives ExecStop= (a stop asked for, not an exit).
  const env = { PATH: process.env.PATH, ...(s.mainPid && alive(s.mainPid) ? { MAINPID: String(s.mainPid) } : {}) };
  for (const stop of u.lists.get('Service.ExecStop') ?? []) {
    const argv = expandCommand(stop, env);
    spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 30000, env: { ...process.env, ...env } });
  }
  // KillMode=: control-group signals every process of the unit at once; process only the main one (the
  // rest outlive the stop); mixed SIGTERMs the main one and SIGKILLs whatever is left at the timeout.
  const killMode = u.settings.get('Service.KillMode') ?? 'control-group';
  const main = () => [s.mainPid].filter((p) => p && alive(p));
  const all = () =>
    [...new Set([s.mainPid, ...pidsOfUnit(unit, s.invocation)])].filter((p) => p && p !== s.managerPid && alive(p));
  const termTargets = killMode === 'control-group' ? all : main;
  const targets = killMode === 'process' ? main : all;
  for (const p of termTargets()) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {}
  }
  const timeout = parseSec(u.settings.get('Service.TimeoutStopSec'), 90) * 1000;
  for (let waited = 0; waited < timeout && termTargets().length; waited += 50) await sleep(50);
  for (const p of targets()) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {}
  }
  for (let i = 0; i < 100 && s.managerPid && alive(s.managerPid); i++) await sleep(20);
  writeState(unit, { ...readState(unit), active: 'inactive', sub: 'dead', mainPid: 0, managerPid: 0 });
}

export async function startUnit(unit) {
  const u = loadUnit(unit);
  if (isMasked(unit)) {
    console.error(`Failed to start ${unit}: Unit ${unit} is masked.`);
    return 1;
  }
  if (!u.fragment) {
    console.error(`Failed to start ${unit}: Unit ${unit} not found.`);
    return 5;
  }
  const s = readState(unit);
  if (s.managerPid && alive(s.managerPid)) return 0;
  for (const cond of u.lists.get('Unit.ConditionPathExists') ?? []) {
    const negate = cond.startsWith('!');
    const p = cond.replace(/^\|?!?/, '');
    if (exists(p) === negate) {
      writeState(unit, {
        ...s,
        active: 'inactive',
        sub: 'dead',
        mainPid: 0,
        condition: `ConditionPathExists=${cond} was not met`,
      });
      return 0;
    }
  }
  fs.mkdirSync(stateDir(unit), { recursive: true });
  const mgr = spawn(process.execPath, [SELF, '__run-unit', unit], { detached: true, stdio: 'ignore' });
  writeState(unit, { ...s, active: 'activating', sub: 'start', managerPid: mgr.pid, mainPid: 0 });
  mgr.unref();
  // systemctl start returns once the unit is up (simple: spawned; forking: the parent exited).
  for (let i = 0; i < 300; i++) {
    const now = readState(unit);
    if (now.active === 'active') return 0;
    if (now.active === 'failed') {
      console.error(`Job for ${unit} failed because the control process exited with error code.`);
      return 1;
    }
    await sleep(20);
  }
  return 0;
}

#!/usr/bin/env node
// systemctl stand-in for the test node (installed there as /usr/bin/systemctl).
//
// Reads the real unit files and drop-ins in the node and answers the subset of systemctl that kubesup-tui
// and the manual procedure use, with systemctl's output formats and exit codes:
//   start stop restart enable disable mask unmask is-active is-enabled show (-p, --value) cat status
//   daemon-reload, plus `boot` (start every enabled unit, as the node's init does at boot).
// State lives under /run/systemctl-standin, so a reboot of the node forgets it, as it should.
//
// It is written independently of kubesup-tui's own unit parser on purpose: it is the oracle that starts
// kubelet the way systemd would, so detection is checked against it, not against itself.
//
// A unit's "cgroup" is emulated with INVOCATION_ID, which systemd exports to every process it starts: all
// processes whose environment carries the unit's current id belong to it (children inherit it).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const STATE = '/run/systemctl-standin';
const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
const SELF = new URL(import.meta.url).pathname;

const unitName = (n) => (n.includes('.') ? n : `${n}.service`);
const readText = (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } };
const isLink = (p) => { try { return fs.lstatSync(p).isSymbolicLink(); } catch { return false; } };
const exists = (p) => { try { fs.lstatSync(p); return true; } catch { return false; } };

function fragmentPath(unit) {
  for (const dir of UNIT_DIRS) {
    const p = path.join(dir, unit);
    if (exists(p)) return p;
  }
  return undefined;
}
function isMasked(unit) {
  for (const dir of ['/etc/systemd/system', '/run/systemd/system']) {
    const p = path.join(dir, unit);
    if (isLink(p) && fs.readlinkSync(p) === '/dev/null') return true;
  }
  return false;
}
function dropInPaths(unit) {
  const byName = new Map();
  for (const dir of UNIT_DIRS) {
    const d = path.join(dir, `${unit}.d`);
    let names = [];
    try { names = fs.readdirSync(d); } catch { continue; }
    for (const n of names) if (n.endsWith('.conf') && !byName.has(n)) byName.set(n, path.join(d, n));
  }
  return [...byName.keys()].sort().map((n) => byName.get(n));
}

// Unit file lines: comments, backslash continuations; returns [section, key, value] triples in order.
function unitEntries(text) {
  const out = [];
  let section = '';
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#') || line.startsWith(';'))) continue;
    if (pending && (line.startsWith('#') || line.startsWith(';'))) continue;
    if (line.endsWith('\\')) { pending += `${line.slice(0, -1)} `; continue; }
    const full = pending + line;
    pending = '';
    const sec = /^\[(.+)\]$/.exec(full);
    if (sec) { section = sec[1]; continue; }
    const eq = full.indexOf('=');
    if (eq > 0) out.push([section, full.slice(0, eq).trim(), full.slice(eq + 1).trim()]);
  }
  return out;
}

function loadUnit(unit) {
  const fragment = fragmentPath(unit);
  if (!fragment || isMasked(unit)) return { unit, fragment, dropIns: [], settings: new Map(), lists: new Map() };
  const files = [fragment, ...dropInPaths(unit)];
  const settings = new Map();
  const lists = new Map(); // keys that accumulate; an empty value resets
  for (const f of files) {
    for (const [section, key, value] of unitEntries(readText(f) ?? '')) {
      const k = `${section}.${key}`;
      if (['Service.ExecStart', 'Service.ExecStartPre', 'Service.ExecStop', 'Service.Environment', 'Service.EnvironmentFile', 'Unit.After', 'Unit.ConditionPathExists'].includes(k)) {
        if (value === '') lists.set(k, []);
        else lists.set(k, [...(lists.get(k) ?? []), value]);
      } else settings.set(k, value);
    }
  }
  return { unit, fragment, dropIns: files.slice(1), settings, lists };
}

// Split words the way systemd does for Environment= and ExecStart=: quotes group, backslash escapes.
function splitWords(s) {
  const words = [];
  let cur = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (/\s/.test(c)) { if (cur !== null) { words.push(cur); cur = null; } continue; }
    cur ??= '';
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      cur += s.slice(i + 1, end < 0 ? s.length : end);
      i = end < 0 ? s.length : end;
    } else if (c === '\\' && i + 1 < s.length) { cur += s[++i]; } else cur += c;
  }
  if (cur !== null) words.push(cur);
  return words;
}

// EnvironmentFile= syntax: KEY=VALUE, quotes (may span lines), backslash continuation, comments.
function parseEnvFile(text) {
  const env = {};
  let i = 0;
  while (i < text.length) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = text.length;
    const lead = text.slice(i, lineEnd).trimStart();
    if (lead === '' || lead.startsWith('#') || lead.startsWith(';') || !lead.includes('=')) { i = lineEnd + 1; continue; }
    i += text.slice(i, lineEnd).length - lead.length;
    const eq = text.indexOf('=', i);
    const key = text.slice(i, eq).trim();
    i = eq + 1;
    while (text[i] === ' ' || text[i] === '\t') i++;
    let value = '';
    while (i < text.length && text[i] !== '\n') {
      const c = text[i];
      if (c === "'") { const end = text.indexOf("'", i + 1); value += text.slice(i + 1, end); i = end + 1; }
      else if (c === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && text[i + 1] === '\n') { i += 2; continue; }
          if (text[i] === '\\' && '"\\`$'.includes(text[i + 1])) { value += text[i + 1]; i += 2; continue; }
          value += text[i++];
        }
        i++;
      } else if (c === '\\') {
        if (text[i + 1] === '\n') { i += 2; continue; }
        value += text[i + 1] ?? ''; i += 2;
      } else { value += c; i++; }
    }
    env[key] = value.replace(/\s+$/, '');
    i++;
  }
  return env;
}

function unitEnvironment(u) {
  const env = {};
  for (const line of u.lists.get('Service.Environment') ?? []) {
    for (const word of splitWords(line)) {
      const eq = word.indexOf('=');
      if (eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  for (let f of u.lists.get('Service.EnvironmentFile') ?? []) {
    const optional = f.startsWith('-');
    if (optional) f = f.slice(1);
    const text = readText(f);
    if (text === undefined) { if (!optional) throw new Error(`Failed to load environment files: ${f}`); continue; }
    Object.assign(env, parseEnvFile(text));
  }
  return env;
}

function expandCommand(line, env) {
  let cmd = line.replace(/^[-@+!:]+/, '');
  cmd = cmd.replace(/%%/g, '\u0000');
  const argv = [];
  for (const word of tokenizeKeepingVars(cmd)) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word.raw);
    if (whole && !word.quoted) { argv.push(...splitWords(env[whole[1]] ?? '')); continue; }
    argv.push(word.text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n) => env[n] ?? '').replace(/\$\$/g, '$').replace(/\u0000/g, '%'));
  }
  return argv;
}
function tokenizeKeepingVars(s) {
  const out = [];
  let i = 0;
  while (i < s.length) {
    while (/\s/.test(s[i] ?? '')) i++;
    if (i >= s.length) break;
    let text = '';
    let raw = '';
    let quoted = false;
    while (i < s.length && !/\s/.test(s[i])) {
      const c = s[i];
      if (c === '"' || c === "'") {
        const end = s.indexOf(c, i + 1);
        text += s.slice(i + 1, end); raw += s.slice(i, end + 1); quoted = true; i = end + 1;
      } else if (c === '\\' && i + 1 < s.length) { text += s[i + 1]; raw += s.slice(i, i + 2); i += 2; }
      else { text += c; raw += c; i++; }
    }
    out.push({ text, raw, quoted });
  }
  return out;
}

// ---- runtime state -------------------------------------------------------------------------------
const stateDir = (unit) => path.join(STATE, unit);
function readState(unit) {
  const t = readText(path.join(stateDir(unit), 'state.json'));
  return t ? JSON.parse(t) : { active: 'inactive', sub: 'dead', mainPid: 0, nRestarts: 0 };
}
function writeState(unit, s) {
  fs.mkdirSync(stateDir(unit), { recursive: true });
  const tmp = path.join(stateDir(unit), `state.json.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(s));
  fs.renameSync(tmp, path.join(stateDir(unit), 'state.json'));
}
const alive = (pid) => { if (!pid) return false; try { process.kill(pid, 0); const st = readText(`/proc/${pid}/stat`) ?? ''; return !/^\d+ \(.*\) Z/.test(st); } catch { return false; } };
function pidsOfInvocation(id) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const env = readText(`/proc/${d}/environ`);
    if (env && env.split('\0').includes(`INVOCATION_ID=${id}`)) out.push(Number(d));
  }
  return out;
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
async function runUnit(unit) {
  const u = loadUnit(unit);
  const type = u.settings.get('Service.Type') ?? 'simple';
  const restart = u.settings.get('Service.Restart') ?? 'no';
  const restartSec = parseSec(u.settings.get('Service.RestartSec'), 0.1);
  let state = { ...readState(unit), managerPid: process.pid };
  let stopping = false;
  let child;
  process.on('SIGTERM', () => { stopping = true; });
  const invocation = crypto.randomBytes(16).toString('hex');
  const baseEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', INVOCATION_ID: invocation };
  while (true) {
    let env;
    try { env = { ...baseEnv, ...unitEnvironment(u) }; } catch (e) {
      writeState(unit, { ...state, active: 'failed', sub: 'failed', mainPid: 0, invocation, error: e.message });
      return;
    }
    for (const pre of u.lists.get('Service.ExecStartPre') ?? []) {
      const argv = expandCommand(pre, env);
      const r = spawnSync(argv[0], argv.slice(1), { env, stdio: 'inherit' });
      if (r.status !== 0 && !pre.startsWith('-')) { env = null; break; }
    }
    const exec = (u.lists.get('Service.ExecStart') ?? [])[0];
    if (!env || !exec) {
      writeState(unit, { ...state, active: 'failed', sub: 'failed', mainPid: 0, invocation });
      if (!env && restart === 'always' && !stopping) { await sleep(restartSec * 1000); continue; }
      return;
    }
    const argv = expandCommand(exec, env);
    const logFd = fs.openSync(path.join(stateDir(unit), 'journal.log'), 'a');
    child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', logFd, logFd], detached: true, argv0: argv[0] });
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
      for (let i = 0; i < 50 && !main; i++) { main = pidsOfInvocation(invocation).filter((p) => p !== process.pid).sort((a, b) => a - b)[0] ?? 0; if (!main) await sleep(100); }
      state = { ...state, active: 'active', sub: 'running', mainPid: main, invocation, since: Date.now() };
      writeState(unit, state);
      while (alive(main) && !stopping) await sleep(100);
      exitInfo = { code: stopping ? 0 : 1 };
    }
    if (stopping) break;
    const failed = exitInfo.code !== 0 || exitInfo.signal;
    const again = restart === 'always' || (restart === 'on-failure' && failed);
    state = { ...state, active: again ? 'activating' : failed ? 'failed' : 'inactive', sub: again ? 'auto-restart' : failed ? 'failed' : 'dead', mainPid: 0, lastExit: exitInfo };
    writeState(unit, state);
    if (!again) return;
    for (let waited = 0; waited < restartSec * 1000 && !stopping; waited += 50) await sleep(50);
    if (stopping) break;
    state = { ...state, nRestarts: (state.nRestarts ?? 0) + 1 };
  }
  writeState(unit, { ...readState(unit), active: 'inactive', sub: 'dead', mainPid: 0 });
}

async function stopUnit(unit) {
  const u = loadUnit(unit);
  const s = readState(unit);
  if (s.managerPid && alive(s.managerPid)) {
    try { process.kill(s.managerPid, 'SIGTERM'); } catch {}
  }
  const env = { PATH: process.env.PATH };
  for (const stop of u.lists.get('Service.ExecStop') ?? []) {
    const argv = expandCommand(stop, env);
    spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 30000 });
  }
  const killMode = u.settings.get('Service.KillMode') ?? 'control-group';
  const targets = () => (killMode === 'process' ? [s.mainPid].filter(alive) : [...new Set([s.mainPid, ...(s.invocation ? pidsOfInvocation(s.invocation) : [])])].filter((p) => p && p !== s.managerPid && alive(p)));
  for (const p of targets()) { try { process.kill(p, 'SIGTERM'); } catch {} }
  const timeout = parseSec(u.settings.get('Service.TimeoutStopSec'), 90) * 1000;
  for (let waited = 0; waited < timeout && targets().length; waited += 50) await sleep(50);
  for (const p of targets()) { try { process.kill(p, 'SIGKILL'); } catch {} }
  for (let i = 0; i < 100 && s.managerPid && alive(s.managerPid); i++) await sleep(20);
  writeState(unit, { ...readState(unit), active: 'inactive', sub: 'dead', mainPid: 0, managerPid: 0 });
}

async function startUnit(unit) {
  const u = loadUnit(unit);
  if (isMasked(unit)) { console.error(`Failed to start ${unit}: Unit ${unit} is masked.`); return 1; }
  if (!u.fragment) { console.error(`Failed to start ${unit}: Unit ${unit} not found.`); return 5; }
  const s = readState(unit);
  if (s.managerPid && alive(s.managerPid)) return 0;
  for (const cond of u.lists.get('Unit.ConditionPathExists') ?? []) {
    const negate = cond.startsWith('!');
    const p = cond.replace(/^\|?!?/, '');
    if (exists(p) === negate) {
      writeState(unit, { ...s, active: 'inactive', sub: 'dead', mainPid: 0, condition: `ConditionPathExists=${cond} was not met` });
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
    if (now.active === 'active' || now.active === 'failed') return now.active === 'failed' ? (console.error(`Job for ${unit} failed because the control process exited with error code.`), 1) : 0;
    await sleep(20);
  }
  return 0;
}

function enabledLinks(unit) {
  const out = [];
  const base = '/etc/systemd/system';
  for (const d of fs.existsSync(base) ? fs.readdirSync(base) : []) {
    if (!d.endsWith('.wants')) continue;
    const p = path.join(base, d, unit);
    if (isLink(p)) out.push(p);
  }
  return out;
}
function unitFileState(unit) {
  if (isMasked(unit)) return 'masked';
  const u = loadUnit(unit);
  if (!u.fragment) return undefined;
  if (enabledLinks(unit).length) return 'enabled';
  return u.settings.has('Install.WantedBy') ? 'disabled' : 'static';
}

function showProps(unit) {
  const u = loadUnit(unit);
  const s = readState(unit);
  const execStart = (u.lists.get('Service.ExecStart') ?? []).map((line) => {
    const argv = tokenizeKeepingVars(line.replace(/^[-@+!:]+/, '')).map((w) => w.text);
    return `{ path=${argv[0]} ; argv[]=${argv.join(' ')} ; ignore_errors=${line.startsWith('-') ? 'yes' : 'no'} ; start_time=[n/a] ; stop_time=[n/a] ; pid=${s.mainPid || 0} ; code=(null) ; status=0/0 }`;
  });
  return {
    Id: unit,
    LoadState: isMasked(unit) ? 'masked' : u.fragment ? 'loaded' : 'not-found',
    ActiveState: s.active,
    SubState: s.sub,
    MainPID: String(s.mainPid || 0),
    NRestarts: String(s.nRestarts ?? 0),
    FragmentPath: isMasked(unit) ? '' : (u.fragment ?? ''),
    DropInPaths: u.dropIns.join(' '),
    UnitFileState: unitFileState(unit) ?? '',
    ExecStart: execStart,
    EnvironmentFiles: (u.lists.get('Service.EnvironmentFile') ?? []).map((f) => `${f.replace(/^-/, '')} (ignore_errors=${f.startsWith('-') ? 'yes' : 'no'})`),
    NeedDaemonReload: 'no',
  };
}

async function main(argv) {
  const args = argv.filter((a) => !['--no-pager', '-l', '--full', '--quiet', '-q', '--now', '--no-block', '--system'].includes(a));
  const quiet = argv.includes('--quiet') || argv.includes('-q');
  const now = argv.includes('--now');
  const [cmd, ...rest] = args;
  const units = rest.filter((a) => !a.startsWith('-')).map(unitName);
  switch (cmd) {
    case '__run-unit': await runUnit(units[0]); return 0;
    case 'daemon-reload': return 0;
    case 'start': { let rc = 0; for (const u of units) rc = Math.max(rc, await startUnit(u)); return rc; }
    case 'stop': for (const u of units) await stopUnit(u); return 0;
    case 'restart': { let rc = 0; for (const u of units) { await stopUnit(u); rc = Math.max(rc, await startUnit(u)); } return rc; }
    case 'boot': {
      // Start enabled units in After= order, as the node's init would at boot.
      const wants = '/etc/systemd/system/multi-user.target.wants';
      const enabled = fs.existsSync(wants) ? fs.readdirSync(wants) : [];
      const started = new Set();
      const visit = async (u) => {
        if (started.has(u)) return; started.add(u);
        for (const after of (loadUnit(u).lists.get('Unit.After') ?? []).flatMap((l) => l.split(/\s+/))) if (enabled.includes(after)) await visit(after);
        await startUnit(u);
      };
      for (const u of enabled.sort()) await visit(u);
      return 0;
    }
    case 'enable': case 'disable': {
      let rc = 0;
      for (const unit of units) {
        const u = loadUnit(unit);
        if (isMasked(unit)) { console.error(`Failed to ${cmd} unit: Unit file /etc/systemd/system/${unit} is masked.`); rc = 1; continue; }
        if (!u.fragment) { console.error(`Failed to ${cmd} unit: Unit file ${unit} does not exist.`); rc = 1; continue; }
        if (cmd === 'enable') {
          for (const target of (u.settings.get('Install.WantedBy') ?? '').split(/\s+/).filter(Boolean)) {
            const dir = `/etc/systemd/system/${target}.wants`;
            fs.mkdirSync(dir, { recursive: true });
            if (!isLink(path.join(dir, unit))) { fs.symlinkSync(u.fragment, path.join(dir, unit)); if (!quiet) console.error(`Created symlink ${dir}/${unit} → ${u.fragment}.`); }
          }
          if (now) rc = Math.max(rc, await startUnit(unit));
        } else {
          for (const l of enabledLinks(unit)) { fs.unlinkSync(l); if (!quiet) console.error(`Removed "${l}".`); }
          if (now) await stopUnit(unit);
        }
      }
      return rc;
    }
    case 'mask': {
      for (const unit of units) {
        const p = `/etc/systemd/system/${unit}`;
        if (isMasked(unit)) continue;
        if (exists(p)) { console.error(`Failed to mask unit: File ${p} already exists.`); return 1; }
        fs.symlinkSync('/dev/null', p);
        if (!quiet) console.error(`Created symlink ${p} → /dev/null.`);
      }
      return 0;
    }
    case 'unmask': {
      for (const unit of units) {
        for (const dir of ['/etc/systemd/system', '/run/systemd/system']) {
          const p = path.join(dir, unit);
          if (isLink(p) && fs.readlinkSync(p) === '/dev/null') { fs.unlinkSync(p); if (!quiet) console.error(`Removed "${p}".`); }
        }
      }
      return 0;
    }
    case 'is-active': {
      const states = units.map((u) => readState(u).active);
      if (!quiet) for (const s of states) console.log(s);
      return states.some((s) => s === 'active') ? 0 : 3;
    }
    case 'is-enabled': {
      const s = unitFileState(units[0]);
      if (s === undefined) { if (!quiet) console.error(`Failed to get unit file state for ${units[0]}: No such file or directory`); return 1; }
      if (!quiet) console.log(s);
      return ['enabled', 'static'].includes(s) ? 0 : 1;
    }
    case 'show': {
      const props = [];
      const value = argv.includes('--value');
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '-p' || rest[i] === '--property') props.push(...rest[++i].split(','));
        else if (rest[i].startsWith('--property=')) props.push(...rest[i].slice(11).split(','));
        else if (rest[i].startsWith('-p') && rest[i].length > 2) props.push(...rest[i].slice(2).split(','));
      }
      const unit = unitName(rest.filter((a, i) => !a.startsWith('-') && !['-p', '--property'].includes(rest[i - 1]))[0] ?? '');
      const all = showProps(unit);
      for (const p of props.length ? props : Object.keys(all)) {
        const v = all[p];
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) console.log(value ? one : `${p}=${one}`);
      }
      return 0;
    }
    case 'cat': {
      const unit = units[0];
      const u = loadUnit(unit);
      if (!u.fragment || isMasked(unit)) { console.error(`No files found for ${unit}.`); return 1; }
      console.log([u.fragment, ...u.dropIns].map((f) => `# ${f}\n${(readText(f) ?? '').replace(/\n$/, '')}`).join('\n\n'));
      return 0;
    }
    case 'status': {
      const unit = units[0];
      const u = loadUnit(unit);
      const s = readState(unit);
      const ufs = unitFileState(unit);
      if (!u.fragment && !isMasked(unit)) { console.error(`Unit ${unit} could not be found.`); return 4; }
      const dot = s.active === 'active' ? '●' : s.active === 'failed' ? '×' : '○';
      console.log(`${dot} ${unit} - ${u.settings.get('Unit.Description') ?? unit}`);
      console.log(`     Loaded: ${isMasked(unit) ? 'masked (Reason: Unit ' + unit + ' is masked.)' : `loaded (${u.fragment}; ${ufs}; preset: enabled)`}`);
      if (u.dropIns.length) console.log(`    Drop-In: ${u.dropIns.join('\n             ')}`);
      console.log(`     Active: ${s.active} (${s.sub})${s.since ? ` since ${new Date(s.since).toUTCString()}` : ''}`);
      if (s.mainPid) {
        console.log(`   Main PID: ${s.mainPid} (${(readText(`/proc/${s.mainPid}/comm`) ?? '').trim()})`);
        const cmd = (readText(`/proc/${s.mainPid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ');
        console.log(`     CGroup: /system.slice/${unit}\n             └─${s.mainPid} ${cmd}`);
      }
      return s.active === 'active' ? 0 : 3;
    }
    default:
      console.error(`systemctl stand-in: unknown command "${cmd}"`);
      return 1;
  }
}

main(process.argv.slice(2)).then((rc) => process.exit(rc), (e) => { console.error(`systemctl: ${e.message}`); process.exit(1); });

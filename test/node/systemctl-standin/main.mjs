#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';

import { readState, runUnit, startUnit, stopUnit } from './runtime.mjs';
import { exists, isLink, isMasked, loadUnit, readText, tokenizeKeepingVars, unitName } from './unit-files.mjs';

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

/** systemctl status's Loaded: line: masked, or where the unit's file is and whether it is enabled. */
function loadedWords(unit, fragment, ufs) {
  if (isMasked(unit)) return `masked (Reason: Unit ${unit} is masked.)`;
  return `loaded (${fragment}; ${ufs}; preset: enabled)`;
}

function showProps(unit) {
  const u = loadUnit(unit);
  const s = readState(unit);
  const execStart = (u.lists.get('Service.ExecStart') ?? []).map((line) => {
    const argv = tokenizeKeepingVars(line.replace(/^[-@+!:]+/, '')).map((w) => w.text);
    const ignoreErrors = line.startsWith('-') ? 'yes' : 'no';
    return (
      `{ path=${argv[0]} ; argv[]=${argv.join(' ')} ; ignore_errors=${ignoreErrors} ; ` +
      `start_time=[n/a] ; stop_time=[n/a] ; pid=${s.mainPid || 0} ; code=(null) ; status=0/0 }`
    );
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
    EnvironmentFiles: (u.lists.get('Service.EnvironmentFile') ?? []).map(
      (f) => `${f.replace(/^-/, '')} (ignore_errors=${f.startsWith('-') ? 'yes' : 'no'})`,
    ),
    NeedDaemonReload: 'no',
  };
}

async function main(argv) {
  const args = argv.filter(
    (a) => !['--no-pager', '-l', '--full', '--quiet', '-q', '--now', '--no-block', '--system'].includes(a),
  );
  const quiet = argv.includes('--quiet') || argv.includes('-q');
  const now = argv.includes('--now');
  const [cmd, ...rest] = args;
  const units = rest.filter((a) => !a.startsWith('-')).map(unitName);
  // Tests slow the node's changes down to act in the middle of a migration: each command that changes
  // something waits this long first (/run/systemctl-standin/delay-ms; gone at the next boot).
  if (['daemon-reload', 'start', 'stop', 'restart', 'enable', 'disable', 'mask', 'unmask'].includes(cmd)) {
    const delay = Number(readText('/run/systemctl-standin/delay-ms') ?? 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  }
  switch (cmd) {
    case '__run-unit':
      await runUnit(units[0]);
      return 0;
    case 'daemon-reload':
      return 0;
    case 'start': {
      let rc = 0;
      for (const u of units) rc = Math.max(rc, await startUnit(u));
      return rc;
    }
    case 'stop':
      for (const u of units) await stopUnit(u);
      return 0;
    case 'restart': {
      let rc = 0;
      for (const u of units) {
        await stopUnit(u);
        rc = Math.max(rc, await startUnit(u));
      }
      return rc;
    }
    case 'boot': {
      // Start enabled units in After= order, as the node's init would at boot.
      const wants = '/etc/systemd/system/multi-user.target.wants';
      const enabled = fs.existsSync(wants) ? fs.readdirSync(wants) : [];
      const started = new Set();
      const visit = async (u) => {
        if (started.has(u)) return;
        started.add(u);
        for (const after of (loadUnit(u).lists.get('Unit.After') ?? []).flatMap((l) => l.split(/\s+/)))
          if (enabled.includes(after)) await visit(after);
        await startUnit(u);
      };
      for (const u of enabled.sort()) await visit(u);
      return 0;
    }
    case 'enable':
    case 'disable': {
      let rc = 0;
      for (const unit of units) {
        const u = loadUnit(unit);
        if (isMasked(unit)) {
          console.error(`Failed to ${cmd} unit: Unit file /etc/systemd/system/${unit} is masked.`);
          rc = 1;
          continue;
        }
        if (!u.fragment) {
          console.error(`Failed to ${cmd} unit: Unit file ${unit} does not exist.`);
          rc = 1;
          continue;
        }
        if (cmd === 'enable') {
          for (const target of (u.settings.get('Install.WantedBy') ?? '').split(/\s+/).filter(Boolean)) {
            const dir = `/etc/systemd/system/${target}.wants`;
            fs.mkdirSync(dir, { recursive: true });
            if (!isLink(path.join(dir, unit))) {
              fs.symlinkSync(u.fragment, path.join(dir, unit));
              if (!quiet) console.error(`Created symlink ${dir}/${unit} → ${u.fragment}.`);
            }
          }
          if (now) rc = Math.max(rc, await startUnit(unit));
        } else {
          for (const l of enabledLinks(unit)) {
            fs.unlinkSync(l);
            if (!quiet) console.error(`Removed "${l}".`);
          }
          if (now) await stopUnit(unit);
        }
      }
      return rc;
    }
    case 'mask': {
      for (const unit of units) {
        const p = `/etc/systemd/system/${unit}`;
        if (isMasked(unit)) continue;
        if (exists(p)) {
          console.error(`Failed to mask unit: File ${p} already exists.`);
          return 1;
        }
        fs.symlinkSync('/dev/null', p);
        if (!quiet) console.error(`Created symlink ${p} → /dev/null.`);
      }
      return 0;
    }
    case 'unmask': {
      for (const unit of units) {
        for (const dir of ['/etc/systemd/system', '/run/systemd/system']) {
          const p = path.join(dir, unit);
          if (isLink(p) && fs.readlinkSync(p) === '/dev/null') {
            fs.unlinkSync(p);
            if (!quiet) console.error(`Removed "${p}".`);
          }
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
      if (s === undefined) {
        if (!quiet) console.error(`Failed to get unit file state for ${units[0]}: No such file or directory`);
        return 1;
      }
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
      const unit = unitName(
        rest.filter((a, i) => !a.startsWith('-') && !['-p', '--property'].includes(rest[i - 1]))[0] ?? '',
      );
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
      if (!u.fragment || isMasked(unit)) {
        console.error(`No files found for ${unit}.`);
        return 1;
      }
      console.log(
        [u.fragment, ...u.dropIns].map((f) => `# ${f}\n${(readText(f) ?? '').replace(/\n$/, '')}`).join('\n\n'),
      );
      return 0;
    }
    case 'status': {
      const unit = units[0];
      const u = loadUnit(unit);
      const s = readState(unit);
      const ufs = unitFileState(unit);
      if (!u.fragment && !isMasked(unit)) {
        console.error(`Unit ${unit} could not be found.`);
        return 4;
      }
      const dot = s.active === 'active' ? '●' : s.active === 'failed' ? '×' : '○';
      console.log(`${dot} ${unit} - ${u.settings.get('Unit.Description') ?? unit}`);
      console.log(`     Loaded: ${loadedWords(unit, u.fragment, ufs)}`);
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

main(process.argv.slice(2)).then(
  (rc) => process.exit(rc),
  (e) => {
    console.error(`systemctl: ${e.message}`);
    process.exit(1);
  },
);

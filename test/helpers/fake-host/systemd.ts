/**
 * systemctl and the other commands a migration runs, scripted over the fake file system: enable and disable
 * make and remove the wants/ links, mask links to /dev/null (and refuses a unit file in /etc, as systemd
 * does), a ConditionPathExists=! drop-in keeps a unit from starting, and a unit with kubesup-tui's face
 * drop-in runs only the face (its own program is not started or stopped). Every command is recorded.
 */
import path from 'node:path';
import type { CommandResult, CommandRunner } from '../../../src/core/host.js';
import { FACE_DROP_IN } from '../../../src/core/systemd/face-drop-in.js';
import type { FakeFiles } from './files.js';

export interface UnitBehaviour {
  start?(): void;
  stop?(): void;
  mainPid?(): number;
}

const SEARCH = ['/etc/systemd/system', '/run/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
const ok = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
const fail = (exitCode: number, stderr: string): CommandResult => ({ exitCode, stdout: '', stderr });

export class FakeSystemd {
  /** Every command run, as one line: `systemctl stop kubelet.service`. */
  readonly calls: string[] = [];
  /** A command line that fails, once, instead of running. */
  readonly failures = new Map<string, CommandResult>();
  /** Other programs (kubelet --version, apt-get, ...) by path or name. */
  readonly programs = new Map<string, (args: readonly string[]) => CommandResult>();
  private readonly active = new Map<string, string>();
  private readonly behaviour = new Map<string, UnitBehaviour>();
  /** Units started while their face drop-in was there: what runs is the face, not their program. */
  private readonly startedAsFace = new Set<string>();

  /**
   * Debian's systemd (merged /usr) searches /lib/systemd/system first: `enable` of a unit whose file is in
   * /usr/lib/systemd/system links to /lib/systemd/system, whatever the link said before.
   */
  debianLinks = false;

  constructor(private readonly files: FakeFiles) {}

  define(unit: string, state: { active: boolean }, behaviour: UnitBehaviour = {}): void {
    this.active.set(unit, state.active ? 'active' : 'inactive');
    this.behaviour.set(unit, behaviour);
  }

  isActive(unit: string): boolean {
    return this.active.get(unit) === 'active';
  }

  fragment(unit: string): string | undefined {
    return SEARCH.map((d) => `${d}/${unit}`).find((p) => this.files.entries.has(p));
  }

  enabled(unit: string): string {
    const etc = `/etc/systemd/system/${unit}`;
    if (this.files.links.get(etc) === '/dev/null') return 'masked';
    if (
      [...this.files.links.keys()].some(
        (p) => /^\/etc\/systemd\/system\/[^/]+\.wants\//.test(p) && path.basename(p) === unit,
      )
    )
      return 'enabled';
    const text = this.fragment(unit) ? this.files.text(this.fragment(unit) as string) : undefined;
    if (text === undefined) return '';
    return /^\[Install\]/m.test(text) ? 'disabled' : 'static';
  }

  /** A drop-in's ConditionPathExists=!PATH whose path exists: systemd skips the start. */
  private conditionFails(unit: string): boolean {
    const prefix = `/etc/systemd/system/${unit}.d/`;
    for (const [p, e] of this.files.entries) {
      if (!p.startsWith(prefix) || !p.endsWith('.conf')) continue;
      for (const m of e.data.toString('utf8').matchAll(/^ConditionPathExists=!(.+)$/gm)) {
        if (this.files.entries.has((m[1] as string).trim())) return true;
      }
    }
    return false;
  }

  private systemctl(args: readonly string[]): CommandResult {
    const [verb, ...rest] = args;
    const unit = rest.at(-1) ?? '';
    switch (verb) {
      case 'is-active': {
        const state = this.active.get(unit) ?? 'inactive';
        return { exitCode: state === 'active' ? 0 : 3, stdout: `${state}\n`, stderr: '' };
      }
      case 'is-enabled': {
        const state = this.enabled(unit);
        return state
          ? { exitCode: state === 'enabled' ? 0 : 1, stdout: `${state}\n`, stderr: '' }
          : fail(1, `Failed to get unit file state for ${unit}: No such file or directory`);
      }
      case 'show':
        return ok(`${this.behaviour.get(unit)?.mainPid?.() ?? 0}\n`);
      case 'daemon-reload':
        return ok();
      case 'enable': {
        const fragment = this.fragment(unit);
        if (!fragment) return fail(1, `Failed to enable unit: Unit file ${unit} does not exist.`);
        const target = this.debianLinks ? fragment.replace(/^\/usr\/lib\//, '/lib/') : fragment;
        this.files.link(`/etc/systemd/system/multi-user.target.wants/${unit}`, target);
        return ok();
      }
      case 'disable':
        for (const p of [...this.files.links.keys()])
          if (/\.wants\//.test(p) && path.basename(p) === unit) this.files.links.delete(p);
        return ok();
      case 'mask': {
        const etc = `/etc/systemd/system/${unit}`;
        if (this.files.entries.has(etc)) return fail(1, `Failed to mask unit: File ${etc} already exists.`);
        this.files.link(etc, '/dev/null');
        return ok();
      }
      case 'unmask':
        if (this.files.links.get(`/etc/systemd/system/${unit}`) === '/dev/null')
          this.files.links.delete(`/etc/systemd/system/${unit}`);
        return ok();
      case 'start':
        if (this.enabled(unit) === 'masked') return fail(1, `Failed to start ${unit}: Unit ${unit} is masked.`);
        if (this.isActive(unit) || this.conditionFails(unit)) return ok();
        if (this.files.entries.has(`/etc/systemd/system/${unit}.d/${FACE_DROP_IN}`)) this.startedAsFace.add(unit);
        else this.behaviour.get(unit)?.start?.();
        this.active.set(unit, 'active');
        return ok();
      case 'stop':
        if (this.isActive(unit) && !this.startedAsFace.has(unit)) this.behaviour.get(unit)?.stop?.();
        this.startedAsFace.delete(unit);
        this.active.set(unit, 'inactive');
        return ok();
      case 'restart':
        this.systemctl(['stop', unit]);
        return this.systemctl(['start', unit]);
      default:
        return fail(1, `Unknown command verb ${verb}.`);
    }
  }

  readonly runner: CommandRunner = {
    run: async (file, args) => {
      const line = [file, ...args].join(' ');
      this.calls.push(line);
      const failure = this.failures.get(line);
      if (failure) {
        this.failures.delete(line);
        return failure;
      }
      if (file === 'systemctl') return this.systemctl(args);
      const program = this.programs.get(file) ?? this.programs.get(path.basename(file));
      return program ? program(args) : fail(127, `${file}: command not found`);
    },
  };
}

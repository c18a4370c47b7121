/**
 * supervisord releases for the test node, from their upstream sources in test/fixtures/supervisor-releases:
 * 3.4.0 (what EPEL ships for CentOS 7; Python 2.7, with meld3) and 4.3.0 (the newest; Python 3), besides
 * Debian's packaged 4.2.5. Each is unpacked once into a cache outside the repo, with `supervisord` and
 * `supervisorctl` launchers that the node installs over /usr/bin's (argv then reads
 * `python2.7 /usr/bin/supervisord -c …`, as on a node that installed it with pip).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SUPERVISOR_RELEASES = ['debian', '3.4.0', '4.3.0'] as const;
export type SupervisorRelease = (typeof SUPERVISOR_RELEASES)[number];

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCES = path.join(REPO_ROOT, 'test/fixtures/supervisor-releases');
const CACHE = process.env.KUBESUP_IMAGE_CACHE ?? '/var/cache/kubesup-tui-test';
const PYTHON: Record<Exclude<SupervisorRelease, 'debian'>, { python: () => string | undefined; tarballs: string[] }> = {
  '3.4.0': { python: python27, tarballs: ['supervisor-3.4.0', 'meld3-1.0.2'] },
  '4.3.0': { python: () => onPath('python3'), tarballs: ['supervisor-4.3.0'] },
};
const INSTALL: Record<Exclude<SupervisorRelease, 'debian'>, string> = {
  '3.4.0': 'Python 2.7 (python2.7 on PATH, pyenv 2.7.18, or KUBESUP_PYTHON27=/path/to/python2.7)',
  '4.3.0': 'Python 3 (python3 on PATH)',
};

/** Python 2.7: KUBESUP_PYTHON27 when set (even if missing: the skip then says so), else pyenv's, else PATH's. */
function python27(): string | undefined {
  const chosen = process.env.KUBESUP_PYTHON27;
  if (chosen) return fs.existsSync(chosen) ? chosen : undefined;
  // pyenv's interpreter itself (its shim would need PYENV_VERSION).
  const pyenv = path.join(process.env.HOME ?? '/root', '.pyenv/versions/2.7.18/bin/python2.7');
  return fs.existsSync(pyenv) ? pyenv : onPath('python2.7');
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (dir && fs.existsSync(path.join(dir, command))) return path.join(dir, command);
  return undefined;
}

/**
 * Whether a test needing `release` should be skipped, with its one-line reason; under KUBESUP_REQUIRE_ALL=1
 * (CI) a missing prerequisite fails the run instead, so CI cannot pass by skipping.
 */
export function skipRelease(release: SupervisorRelease): string | undefined {
  const missing = missingRelease(release);
  if (missing && process.env.KUBESUP_REQUIRE_ALL === '1') throw new Error(`KUBESUP_REQUIRE_ALL=1: ${missing}`);
  return missing;
}

/** Why a release cannot run here, or undefined when it can. */
export function missingRelease(release: SupervisorRelease): string | undefined {
  if (release === 'debian') return undefined;
  const { python, tarballs } = PYTHON[release];
  if (!python()) return `supervisord ${release} needs ${INSTALL[release]}`;
  for (const t of tarballs)
    if (!fs.existsSync(path.join(SOURCES, `${t}.tar.gz`))) return `missing ${SOURCES}/${t}.tar.gz`;
  return undefined;
}

/** A folder holding `supervisord` and `supervisorctl` for the release; null for Debian's own. */
export function prepareRelease(release: SupervisorRelease): string | null {
  if (release === 'debian') return null;
  const dir = path.join(CACHE, `supervisor-${release}`);
  if (fs.existsSync(path.join(dir, 'done'))) return dir;
  const missing = missingRelease(release);
  if (missing) throw new Error(missing);
  // Built aside and renamed into place: two test workers may prepare the same release at once.
  const work = `${dir}.${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const { tarballs } = PYTHON[release];
  const python = PYTHON[release].python() as string;
  for (const t of tarballs) {
    const r = spawnSync('tar', ['-C', work, '-xzf', path.join(SOURCES, `${t}.tar.gz`)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot unpack ${t}: ${r.stderr}`);
  }
  const paths = tarballs.map((t) => JSON.stringify(path.join(dir, t))).join(', ');
  for (const [name, module] of [
    ['supervisord', 'supervisor.supervisord'],
    ['supervisorctl', 'supervisor.supervisorctl'],
  ] as const) {
    fs.writeFileSync(
      path.join(work, name),
      `#!${python}\n# supervisor ${release} from its upstream source, for kubesup-tui's test node.\nimport sys\n` +
        `sys.path[0:0] = [${paths}]\nfrom ${module} import main\nmain()\n`,
      { mode: 0o755 },
    );
  }
  fs.writeFileSync(path.join(work, 'done'), '');
  try {
    fs.renameSync(work, dir);
  } catch {
    // Another worker got there first: its copy is the same.
    fs.rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

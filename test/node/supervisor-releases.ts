/**
 * supervisord releases for the test node, from their upstream sources in ../shared/supervisor-releases:
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
const SOURCES = path.resolve(REPO_ROOT, '../shared/supervisor-releases');
const CACHE = process.env.KUBESUP_IMAGE_CACHE ?? '/var/cache/kubesup-tui-test';
const PYTHON: Record<Exclude<SupervisorRelease, 'debian'>, { python: string; tarballs: string[] }> = {
  // pyenv's Python 2.7 on these machines (the shim needs PYENV_VERSION; the interpreter itself does not).
  '3.4.0': { python: '/root/.pyenv/versions/2.7.18/bin/python2.7', tarballs: ['supervisor-3.4.0', 'meld3-1.0.2'] },
  '4.3.0': { python: '/usr/bin/python3', tarballs: ['supervisor-4.3.0'] },
};

/** Why a release cannot run here, or undefined when it can. */
export function missingRelease(release: SupervisorRelease): string | undefined {
  if (release === 'debian') return undefined;
  const { python, tarballs } = PYTHON[release];
  if (!fs.existsSync(python)) return `supervisor ${release} needs ${python}`;
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
  const { python, tarballs } = PYTHON[release];
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
      `#!${python}\n# supervisor ${release} from its upstream source, for kubesup-tui's test node.\nimport sys\nsys.path[0:0] = [${paths}]\nfrom ${module} import main\nmain()\n`,
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

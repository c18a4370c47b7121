/**
 * Which configuration file supervisord uses on this node.
 *
 * The running daemon's own `-c`/`--configuration` is the truth; otherwise supervisord's search order
 * (supervisor/options.py): <exe>/../etc/supervisord.conf, <exe>/../supervisord.conf, ./supervisord.conf,
 * ./etc/supervisord.conf, /etc/supervisord.conf, /etc/supervisor/supervisord.conf.
 */
import path from 'node:path/posix';

/** The value of `-c`/`--configuration` in a supervisord argv, if any. */
export function configFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if ((a === '-c' || a === '--configuration') && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith('--configuration=')) return a.slice('--configuration='.length);
    if (a.startsWith('-c') && a.length > 2 && !a.startsWith('--')) return a.slice(2);
  }
  return undefined;
}

/** supervisord's own search order when no -c is given; cwd is `/` for a daemon started by init. */
export function configSearchOrder(supervisordExe = '/usr/bin/supervisord', cwd = '/'): string[] {
  const exeDir = path.dirname(supervisordExe);
  return [
    path.resolve(exeDir, '../etc/supervisord.conf'),
    path.resolve(exeDir, '../supervisord.conf'),
    path.resolve(cwd, 'supervisord.conf'),
    path.resolve(cwd, 'etc/supervisord.conf'),
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ];
}

/** Is this argv a supervisord daemon (`supervisord …` or `python3 /usr/bin/supervisord …`)? */
export function isSupervisordArgv(argv: readonly string[]): boolean {
  const first = path.basename(argv[0] ?? '');
  if (first === 'supervisord') return true;
  return /^python[0-9.]*$/.test(first) && path.basename(argv[1] ?? '') === 'supervisord';
}

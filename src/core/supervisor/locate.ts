/**
 * Where supervisord lives on this node: its running daemon, the config file it reads, and how to reach it.
 *
 * The running daemon's own `-c`/`--configuration` is the truth; otherwise supervisord's search order
 * (supervisor/options.py): <exe>/../etc/supervisord.conf, <exe>/../supervisord.conf, ./supervisord.conf,
 * ./etc/supervisord.conf, /etc/supervisord.conf, /etc/supervisor/supervisord.conf.
 */
import path from 'node:path/posix';
import { ToolError } from '../errors.js';
import type { Host } from '../host.js';
import {
  credentialsFor,
  parseSupervisorConfig,
  resolveEndpoint,
  type SupervisorConfig,
  type SupervisorEndpoint,
} from './config.js';

/** What the command line says of supervisord (--supervisor-conf, --supervisor-url), when it says anything. */
export interface SupervisorOverrides {
  readonly configPath?: string;
  /** Never with credentials in it: they are taken out (withoutCredentials) into username and password. */
  readonly url?: string;
  readonly username?: string;
  readonly password?: string;
}

/**
 * A URL's user and password taken out of it, so that the URL can be printed and stored and they never are:
 * `http://admin:secret@127.0.0.1:9001` -> `http://127.0.0.1:9001`, admin, secret.
 */
export function withoutCredentials(url: string): { url: string; username?: string; password?: string } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@(.*)$/i.exec(url);
  if (!m) return { url };
  const [, scheme, userinfo = '', rest] = m;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const colon = userinfo.indexOf(':');
  const username = decode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  return {
    url: `${scheme}${rest}`,
    ...(username ? { username } : {}),
    ...(colon < 0 ? {} : { password: decode(userinfo.slice(colon + 1)) }),
  };
}

export interface SupervisordLocation {
  /** The running daemon, if any. */
  readonly pid: number | null;
  readonly argv: readonly string[] | null;
  readonly configPath: string | null;
  /** How configPath was chosen, for people. */
  readonly configSource: string;
  readonly config: SupervisorConfig | null;
  readonly endpoint: SupervisorEndpoint | null;
}

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

export async function findSupervisordProcess(
  procs: Host['procs'],
): Promise<{ pid: number; argv: readonly string[] } | undefined> {
  for (const pid of await procs.pids()) {
    const brief = await procs.brief(pid);
    if (brief?.comm !== 'supervisord' && !(brief?.comm ?? '').startsWith('python')) continue;
    const full = await procs.full(pid);
    if (full?.argv && isSupervisordArgv(full.argv)) return { pid, argv: full.argv };
  }
  return undefined;
}

export async function locateSupervisord(host: Host, overrides: SupervisorOverrides = {}): Promise<SupervisordLocation> {
  const running = await findSupervisordProcess(host.procs);
  let configPath: string | undefined;
  let configSource: string;
  if (overrides.configPath) {
    configPath = overrides.configPath;
    configSource = '--supervisor-conf';
  } else if (running && configFromArgv(running.argv)) {
    configPath = configFromArgv(running.argv);
    configSource = `-c of the running supervisord (pid ${running.pid})`;
  } else {
    const exe = running?.argv.find((a) => a.endsWith('/supervisord')) ?? '/usr/bin/supervisord';
    configSource = "supervisord's search order";
    for (const candidate of configSearchOrder(exe)) {
      if (await host.files.read(candidate)) {
        configPath = candidate;
        break;
      }
    }
  }

  let config: SupervisorConfig | null = null;
  if (configPath) {
    const bytes = await host.files.read(configPath);
    if (!bytes) {
      if (overrides.configPath) throw new ToolError(`no supervisord config at ${configPath}`);
    } else {
      config = parseSupervisorConfig(bytes.toString('utf8'), configPath);
    }
  }
  let endpoint: SupervisorEndpoint | null = null;
  if (overrides.url) {
    // The URL's own credentials; else the section's that URL reaches, not from wherever [supervisorctl] points.
    const given = overrides.username ? { username: overrides.username, password: overrides.password ?? '' } : null;
    endpoint = {
      url: overrides.url,
      source: '--supervisor-url',
      ...(given ?? (config ? credentialsFor(config, overrides.url, host.env) : {})),
    };
  } else if (config) {
    endpoint = resolveEndpoint(config, host.env) ?? null;
  }
  return {
    pid: running?.pid ?? null,
    argv: running?.argv ?? null,
    configPath: config ? (configPath ?? null) : null,
    configSource,
    config,
    endpoint,
  };
}

/** Why supervisord cannot be asked when no config file was found: it runs without one, or is not there at all. */
function noConfigReason(pid: number | null | undefined): string {
  if (pid) {
    return (
      `supervisord (pid ${pid}) runs, but its config file was not found; ` +
      'pass --supervisor-conf or --supervisor-url'
    );
  }
  return (
    'supervisord is not installed or has no config file ' +
    '(looked in /etc/supervisord.conf and /etc/supervisor/supervisord.conf); pass --supervisor-conf'
  );
}

/** The endpoint, or a one-line reason why there is none. */
export function requireEndpoint(loc: SupervisordLocation): SupervisorEndpoint {
  if (loc.endpoint) return loc.endpoint;
  if (!loc.config) {
    throw new ToolError(noConfigReason(loc.pid));
  }
  throw new ToolError(
    `${loc.configPath} has no [unix_http_server] or [inet_http_server], so supervisord cannot be reached; ` +
      'pass --supervisor-url',
  );
}

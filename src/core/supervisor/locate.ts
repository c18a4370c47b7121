/**
 * Where supervisord lives on this node: its running daemon, the config file it reads, and how to reach it.
 * Works only through ports, so it runs the same on a real node, in the test node and on fakes.
 */
import { ToolError } from '../errors.js';
import type { FileReader, ProcessTable } from '../host.js';
import { parseSupervisorConfig, resolveEndpoint, type SupervisorConfig, type SupervisorEndpoint } from './config.js';
import { configFromArgv, configSearchOrder, isSupervisordArgv } from './search-order.js';

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

export async function findSupervisordProcess(procs: ProcessTable): Promise<{ pid: number; argv: readonly string[] } | undefined> {
  for (const pid of await procs.pids()) {
    const brief = await procs.brief(pid);
    if (brief?.comm !== 'supervisord' && !(brief?.comm ?? '').startsWith('python')) continue;
    const full = await procs.full(pid);
    if (full?.argv && isSupervisordArgv(full.argv)) return { pid, argv: full.argv };
  }
  return undefined;
}

export async function locateSupervisord(
  ports: { files: FileReader; procs: ProcessTable; env: Readonly<Record<string, string | undefined>> },
  overrides: { configPath?: string; url?: string } = {},
): Promise<SupervisordLocation> {
  const running = await findSupervisordProcess(ports.procs);
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
      if (await ports.files.read(candidate)) {
        configPath = candidate;
        break;
      }
    }
  }

  let config: SupervisorConfig | null = null;
  if (configPath) {
    const bytes = await ports.files.read(configPath);
    if (!bytes) {
      if (overrides.configPath) throw new ToolError(`no supervisord config at ${configPath}`);
    } else {
      config = parseSupervisorConfig(bytes.toString('utf8'), configPath);
    }
  }
  let endpoint: SupervisorEndpoint | null = null;
  if (overrides.url) {
    endpoint = { url: overrides.url, source: '--supervisor-url' };
    // Credentials still come from the config, when there is one.
    const fromConfig = config ? resolveEndpoint(config, ports.env) : undefined;
    if (fromConfig?.username) endpoint = { ...endpoint, username: fromConfig.username, ...(fromConfig.password !== undefined ? { password: fromConfig.password } : {}) };
  } else if (config) {
    endpoint = resolveEndpoint(config, ports.env) ?? null;
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

/** The endpoint, or a one-line reason why there is none. */
export function requireEndpoint(loc: SupervisordLocation): SupervisorEndpoint {
  if (loc.endpoint) return loc.endpoint;
  if (!loc.config) {
    throw new ToolError(
      loc.pid
        ? `supervisord (pid ${loc.pid}) runs, but its config file was not found; pass --supervisor-conf or --supervisor-url`
        : 'supervisord is not installed or has no config file (looked in /etc/supervisord.conf and /etc/supervisor/supervisord.conf); pass --supervisor-conf',
    );
  }
  throw new ToolError(`${loc.configPath} has no [unix_http_server] or [inet_http_server], so supervisord cannot be reached; pass --supervisor-url`);
}

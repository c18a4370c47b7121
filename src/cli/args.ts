/** The command line: `kubesup-tui [COMMAND] [OPTIONS]`, parsed with node's util.parseArgs. */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors.js';
import { type ProbeTimes, parseProbe, parseWatchdogSec, type WatchdogChoice } from '../core/migration/plan/agent.js';
import { type SupervisorOverrides, withoutCredentials } from '../core/supervisor/locate.js';

export const COMMANDS = ['migrate', 'monitor', 'detect', 'plan', 'status', 'rollback', 'start-line'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  readonly command: Command | undefined;
  readonly json: boolean;
  readonly yes: boolean;
  /** rollback --all: every unit kubesup-tui moved, the newest migration first. */
  readonly all: boolean;
  readonly program: string;
  /** The unit to move under supervisord (`kubelet.service` unless --unit says otherwise). */
  readonly unit: string;
  readonly healthUrl: string | undefined;
  readonly supervisorConf: string | undefined;
  /** Without its credentials, if it had any: they are in supervisorCredentials, never printed nor stored. */
  readonly supervisorUrl: string | undefined;
  readonly supervisorCredentials?: { readonly username: string; readonly password: string };
  readonly help: boolean;
  readonly version: boolean;
  /** kubelet's watchdog under supervisord: the default (1.32+), --watchdog-sec N or --no-watchdog. */
  readonly watchdog: WatchdogChoice;
  /** --textfile-dir: node_exporter's textfile folder, where the agent writes kubesup.prom. */
  readonly textfileDir: string | null;
  /** --probe: kubelet's liveness probe times (without the watchdog); {}: the defaults. */
  readonly probe: ProbeTimes;
}

export const HELP = `kubesup-tui: put kubelet under supervisord safely, and watch it.

Usage: kubesup-tui [COMMAND] [OPTIONS]        (run as root on the node)

Commands:
  (none)      interactive: the migration wizard while kubelet is run by systemd, else the monitor
  migrate     the migration wizard; with --yes applies without asking, one line per step (--json)
  monitor     the live monitor: programs, restarts, kubelet health and log
  detect      how kubelet is started today                          (--json)
  plan        the files and actions a migration would carry out      (--json)
  status      supervisord's programs, restarts, kubelet health        (--json)
  rollback    put kubelet back under systemd, restoring every file   (--yes, --json, --unit, --all)
  start-line  what systemd would run for the unit now, as shell      (the wrapper runs it at each start)

Options:
  --json                  machine-readable output (detect, plan, status, migrate, rollback)
  --yes                   apply without asking (migrate, rollback)
  --all                   rollback: every unit kubesup-tui moved, the newest migration first
  --unit NAME             the unit to move (default: kubelet.service), such as containerd or etcd:
                          with detect, plan, migrate --yes and rollback
  --program NAME          the supervisord program (default: the unit's name, e.g. kubelet)
  --health-url URL        how a unit without a known health check tells it is healthy
  --supervisor-conf PATH  supervisord's config file (default: the running daemon's, else its search order)
  --supervisor-url URL    where supervisord listens: unix:///path.sock or http://host:port
  --watchdog-sec N        migrate, plan: kubelet's watchdog timeout (kubelet 1.32+; default: its unit's
                          WatchdogSec=, else 60 s); --no-watchdog: the liveness probe instead
  --probe interval=N,timeout=N,failures=N,grace=N
                          migrate, plan: kubelet's liveness probe without the watchdog (any of them; default
                          10 s, 10 s, 6 in a row, not in the first 120 s)
  --textfile-dir DIR      migrate, plan: node_exporter's textfile folder for the agent's kubesup.prom
  -h, --help              this help
  -v, --version           the version

Exit codes: 0 success; 1 failure (one-line reason on stderr); 2 bad usage;
            status: 3 when a program is not RUNNING; 4 when a migration or rollback was interrupted.
`;

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
      all: { type: 'boolean', default: false },
      program: { type: 'string' },
      unit: { type: 'string', default: 'kubelet.service' },
      'health-url': { type: 'string' },
      'supervisor-conf': { type: 'string' },
      'supervisor-url': { type: 'string' },
      'watchdog-sec': { type: 'string' },
      'no-watchdog': { type: 'boolean', default: false },
      probe: { type: 'string' },
      'textfile-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
}

export function parseCommandLine(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    // parseArgs' messages are long and mention "parseArgs"; keep the part a user needs.
    throw new UsageError(
      (error as Error).message
        .replace(/\. To specify a positional argument.*$/s, '')
        .replace(/^Unknown option/, 'unknown option'),
    );
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one command at a time (got: ${positionals.join(' ')})`);
  const word = positionals[0];
  if (word !== undefined && !(COMMANDS as readonly string[]).includes(word)) {
    throw new UsageError(`unknown command "${word}" (commands: ${COMMANDS.join(', ')})`);
  }
  const command = word as Command | undefined;
  if (values.json && command && !['detect', 'plan', 'status', 'migrate', 'rollback'].includes(command)) {
    throw new UsageError(`--json goes with detect, plan, status, migrate or rollback, not ${command}`);
  }
  if (values.all && (command !== 'rollback' || values.json || values.unit !== 'kubelet.service'))
    throw new UsageError('--all goes with rollback alone (one unit as JSON: rollback --unit NAME --json)');
  if (values.json && command === 'migrate' && !values.yes) {
    throw new UsageError('migrate --json runs without asking: add --yes');
  }
  if (!/^[A-Za-z0-9@_.:-]+$/.test(values.unit) || values.unit.startsWith('.'))
    throw new UsageError(`--unit: not a unit name: ${values.unit}`);
  const unit = values.unit.endsWith('.service') ? values.unit : `${values.unit}.service`;
  if (unit !== 'kubelet.service') {
    if (!command || command === 'monitor' || command === 'status')
      throw new UsageError(
        `--unit goes with detect, plan, migrate and rollback (${command ?? 'the TUI'} shows every program)`,
      );
    if (command === 'migrate' && !values.yes)
      throw new UsageError(
        `--unit ${unit}: the wizard moves kubelet; move other units with migrate --unit ${unit} --yes`,
      );
  }
  const program = values.program ?? unit.slice(0, -'.service'.length);
  // No dots: ini writes [program:a.b] as [program:a\.b], which supervisord would read literally.
  if (!/^[A-Za-z0-9_-]+$/.test(program))
    throw new UsageError(`--program: use letters, digits, - and _ only: ${program}`);
  const healthUrl = values['health-url'];
  if (healthUrl !== undefined && !/^https?:\/\/.+/.test(healthUrl))
    throw new UsageError(`--health-url: expected http://host:port/path, got ${healthUrl}`);
  const given = values['supervisor-url'];
  const { url, username, password } = given === undefined ? { url: undefined } : withoutCredentials(given);
  if (url !== undefined && !/^(unix:\/\/\/.+|https?:\/\/.+)$/.test(url)) {
    throw new UsageError(`--supervisor-url: expected unix:///path.sock or http://host:port, got ${url}`);
  }
  const agent = agentChoices(command, values);
  return {
    ...agent,
    command,
    json: values.json,
    yes: values.yes,
    all: values.all,
    program,
    unit,
    healthUrl,
    supervisorConf: values['supervisor-conf'],
    supervisorUrl: url,
    ...(username ? { supervisorCredentials: { username, password: password ?? '' } } : {}),
    help: values.help,
    version: values.version,
  };
}

/** --watchdog-sec, --no-watchdog, --probe and --textfile-dir: what the migration's resident agent does. */
function agentChoices(
  command: Command | undefined,
  values: { 'watchdog-sec'?: string; 'no-watchdog'?: boolean; probe?: string; 'textfile-dir'?: string },
): Pick<CliOptions, 'watchdog' | 'textfileDir' | 'probe'> {
  const given =
    values['watchdog-sec'] !== undefined ||
    values['no-watchdog'] ||
    values.probe !== undefined ||
    values['textfile-dir'] !== undefined;
  if (given && command !== 'migrate' && command !== 'plan')
    throw new UsageError('--watchdog-sec, --no-watchdog, --probe and --textfile-dir go with migrate and plan');
  if (values['watchdog-sec'] !== undefined && values['no-watchdog'])
    throw new UsageError('--watchdog-sec and --no-watchdog: one or the other');
  const dir = values['textfile-dir'];
  if (dir !== undefined && (!dir.startsWith('/') || /[\n\0]/.test(dir)))
    throw new UsageError(`--textfile-dir: expected an absolute folder, got ${JSON.stringify(dir)}`);
  const seconds = values['watchdog-sec'];
  const watchdog: WatchdogChoice = values['no-watchdog']
    ? { kind: 'off' }
    : seconds === undefined
      ? { kind: 'default' }
      : parseWatchdogSec(seconds);
  return { watchdog, textfileDir: dir ?? null, probe: values.probe === undefined ? {} : parseProbe(values.probe) };
}

/** --supervisor-conf and --supervisor-url, as core takes them. */
export function supervisorOverrides(options: CliOptions): SupervisorOverrides {
  return {
    ...(options.supervisorConf ? { configPath: options.supervisorConf } : {}),
    ...(options.supervisorUrl ? { url: options.supervisorUrl } : {}),
    ...(options.supervisorCredentials ?? {}),
  };
}

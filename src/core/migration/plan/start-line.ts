/**
 * kubelet starts with the node's current files, every time: at each start the wrapper asks kubesup-tui for the
 * command line and environment systemd would give the unit now (its file, drop-ins and environment files, read
 * with the same rules as detection: systemd/resolve-unit.ts, env-file.ts, exec-line.ts), as shell text it
 * evaluates. A shell that sourced the environment files itself would not be exact (quotes, escapes,
 * continuations, comments differ); this is the tool's own reading. When the files cannot be read that way, the
 * wrapper starts with the last good line and says so (see render-files.ts).
 */
import { quote } from 'shell-quote';
import type { FileReader } from '../../host.js';
import { expandCommand } from '../../systemd/exec-line.js';
import { resolveUnit } from '../../systemd/resolve-unit.js';
import { unitInputs } from '../../systemd/unit-inputs.js';
import { STATE_DIR } from './state-dir.js';

/** systemd's PATH for system services when the unit sets none (merged and split /usr alike). */
export const SYSTEMD_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type StartLine =
  | {
      readonly ok: true;
      readonly argv: string[];
      readonly env: Record<string, string>;
      /** The paths whose change can change this line (systemd/unit-inputs.ts). */
      readonly inputs: string[];
    }
  | { readonly ok: false; readonly reason: string };

/** What systemd would run for the unit now (seen through kubesup-tui's face drop-in and mask), or why not. */
export async function currentStartLine(files: FileReader, unitName: string, hostname?: string): Promise<StartLine> {
  let unit: Awaited<ReturnType<typeof resolveUnit>>;
  try {
    unit = await resolveUnit(files, unitName, hostname ? { hostname } : {}, { ignoreMask: true, ignoreFace: true });
  } catch (error) {
    return { ok: false, reason: `cannot read ${unitName}: ${(error as Error).message}` };
  }
  if (!unit.fragment) return { ok: false, reason: `${unitName} has no unit file` };
  const [error] = unit.errors;
  if (error) return { ok: false, reason: error };
  const exec = unit.execStart[0];
  if (!exec) return { ok: false, reason: `${unitName} has no ExecStart=` };
  const env = Object.fromEntries([...unit.environment].map(([k, v]) => [k, v.value]));
  if (env.PATH === undefined) env.PATH = SYSTEMD_DEFAULT_PATH;
  const argv = expandCommand(exec, unit.environment).args.map((a) => a.arg);
  return { ok: true, argv, env, inputs: unitInputs(unit) };
}

/**
 * The line as shell: its environment exported and its argv as the positional parameters ("$@"); with its
 * inputs, a bash array the wrapper reads alone (one line, `kubesup_inputs=(...)`) to tell whether they changed.
 */
export function renderStartLine(line: {
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly inputs?: readonly string[];
}): string {
  const exports = Object.entries(line.env)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `export ${name}=${quote([value])}`);
  const inputs = line.inputs ? [`kubesup_inputs=(${quote([...line.inputs])})`] : [];
  return [...exports, `set -- ${quote([...line.argv])}`, ...inputs, ''].join('\n');
}

/**
 * Where the wrapper keeps the last good line, what its files looked like when it was computed (inputs), and the
 * reason the last start could not compute one.
 */
export function startLinePaths(program: string): {
  readonly lastGood: string;
  readonly inputs: string;
  readonly failed: string;
} {
  const lastGood = `${STATE_DIR}/${program}.start-line`;
  return { lastGood, inputs: `${lastGood}.inputs`, failed: `${lastGood}.failed` };
}

/**
 * The warning when the program's last start could not read its unit (the wrapper records why, and clears it at
 * the next good start), or null.
 */
export async function startLineWarning(files: FileReader, program: string, unit: string): Promise<string | null> {
  const text = (await files.read(startLinePaths(program).failed).catch(() => undefined))?.toString('utf8').trim();
  if (!text) return null;
  const reason = text.replace(/^\d+ /, '') || 'no reason given';
  return (
    `${program} started with its last good command line: ${unit} could not be read (${reason}); ` +
    `fix it, then run systemctl restart ${unit}`
  );
}

/**
 * Which Python runs supervisord: the resident agent runs with the very same interpreter (it is there for sure,
 * and its version is the one the agent is tested on). From the running daemon's /proc/PID/exe, else its argv
 * (`python3 /usr/bin/supervisord`), else the installed script's shebang.
 */
import path from 'node:path/posix';

export interface InterpreterClues {
  /** /proc/PID/exe of the running supervisord ("... (deleted)" after an upgrade). */
  readonly exe?: string;
  readonly argv?: readonly string[];
  /** The first line of supervisord's script (`#!/usr/bin/python3`). */
  readonly firstLine?: string;
}

const isPython = (p: string) => p.startsWith('/') && /^python[0-9.]*$/.test(path.basename(p));

/** The interpreter's absolute path, or null when none of the clues names one (`#!/usr/bin/env python3`). */
export function supervisordInterpreter(c: InterpreterClues): string | null {
  const exe = c.exe?.replace(/ \(deleted\)$/, '');
  if (exe && isPython(exe)) return exe;
  const first = c.argv?.[0];
  if (first && isPython(first)) return first;
  const shebang = /^#!\s*(\S+)/.exec(c.firstLine ?? '')?.[1];
  return shebang && isPython(shebang) ? shebang : null;
}

/** The major version from `python --version` (2.7 prints it on stderr, 3 on stdout). */
export function pythonMajor(versionOutput: string): number | null {
  const m = /Python (\d+)\./.exec(versionOutput);
  return m ? Number(m[1]) : null;
}

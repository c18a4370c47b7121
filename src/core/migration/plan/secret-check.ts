/**
 * Values a planned file would make readable to more users than the file they come from: a token in a 0600
 * EnvironmentFile= copied into a wrapper every user can read. Said in the plan (the value never is).
 */
import type { Host } from '../../host.js';
import type { Plan } from './plan-model.js';

/** Values shorter than this are flags and numbers (`true`, `10`), not secrets worth a warning. */
const SHORTEST_SECRET = 6;

/** `NAME=value` pairs of a unit file's Environment= lines or an environment file's lines, unquoted. */
function assignments(text: string): { name: string; value: string }[] {
  const found: { name: string; value: string }[] = [];
  for (const line of text.split('\n')) {
    const body = line.trim().replace(/^Environment=/, '');
    for (const m of body.matchAll(/"?([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S+)/g)) {
      const value = (m[2] as string).replace(/^(["'])([\s\S]*)\1$/, '$2').replace(/"$/, '');
      if (value.length >= SHORTEST_SECRET) found.push({ name: m[1] as string, value });
    }
  }
  return found;
}

export async function exposedSecrets(host: Host, plan: Plan): Promise<string[]> {
  const open = plan.files.filter((f) => (f.mode & 0o004) !== 0);
  if (!open.length) return [];
  const warnings: string[] = [];
  for (const source of plan.service.sources) {
    const meta = await host.writer.stat(source);
    if (!meta || (meta.mode & 0o004) !== 0 || (await host.files.readLink(source)) !== undefined) continue;
    const text = (await host.files.read(source).catch(() => undefined))?.toString('utf8') ?? '';
    for (const { name, value } of assignments(text)) {
      const into = open.find((f) => f.content.includes(value));
      if (!into) continue;
      warnings.push(
        `${name} from ${source} (mode ${meta.mode.toString(8)}, not readable by other users) is copied into ` +
          `${into.path} (mode ${into.mode.toString(8)}), which every local user can read`,
      );
    }
  }
  return warnings;
}

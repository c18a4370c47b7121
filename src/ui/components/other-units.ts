/**
 * The node's other critical units on the detect screen (runtimes, etcd): each chosen by its number to move
 * before kubelet; one supervisord runs already is shown, not offered.
 */
import type { Detection } from '../../core/detect/detect.js';

const program = (unit: string) => unit.replace(/\.service$/, '');

/** The unit behind number i+1, when it can be chosen. */
export function choosable(d: Detection, i: number): string | null {
  const unit = d.node.otherUnits[i]?.unit;
  return unit && !d.supervisor.programs.includes(program(unit)) ? unit : null;
}

/** One other unit on the line: supervised already, or its number, whether it is chosen, and its state. */
function otherUnitWords(unit: string, active: string, i: number, d: Detection, chosen: readonly string[]): string {
  if (d.supervisor.programs.includes(program(unit))) return `${program(unit)} supervised`;
  return `${i + 1} [${chosen.includes(unit) ? 'x' : ' '}] ${program(unit)} ${active || '?'}`;
}

/** `1 [x] containerd active · 2 [ ] etcd active`; null when the node has no other critical unit. */
export function alsoMoveLine(d: Detection, chosen: readonly string[]): string | null {
  const others = d.node.otherUnits.slice(0, 4);
  if (!others.length) return null;
  return others.map(({ unit, active }, i) => otherUnitWords(unit, active, i, d, chosen)).join(' · ');
}

/** The hint for the number keys, as many as there are units to choose (`1 also move`, `1-3 also move`); else none. */
export function alsoMoveHint(d: Detection | null): string | null {
  if (!d) return null;
  const last = [0, 1, 2, 3].filter((i) => choosable(d, i) !== null).at(-1);
  if (last === undefined) return null;
  return last === 0 ? '1 also move' : `1-${last + 1} also move`;
}

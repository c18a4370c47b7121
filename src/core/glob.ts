/**
 * Shell-style globs on one path component (`*`, `?`, `[…]`, `[!…]`), as systemd and supervisord use them, by
 * picomatch. Like glob(3) and Python's glob, a leading dot is matched only by a leading dot in the pattern.
 * picomatch reads `[!0-9]` as a negated class only with `posix: true` (without it, `!` is a literal member).
 */
import picomatch from 'picomatch';

const OPTIONS = { dot: false, posix: true, nobrace: true, noextglob: true, noglobstar: true } as const;

export function matchGlob(pattern: string, name: string): boolean {
  return picomatch.isMatch(name, pattern, OPTIONS);
}

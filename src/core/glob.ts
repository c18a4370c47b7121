/** Shell-style globs on one path component (`*`, `?`, `[…]`, `[!…]`), as systemd and supervisord use them. */
export function matchGlob(pattern: string, name: string): boolean {
  // Like glob(3) and Python's glob: a leading dot is matched only by a leading dot in the pattern.
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(name);
}

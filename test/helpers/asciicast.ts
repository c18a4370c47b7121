/**
 * An asciinema cast (asciicast v2) from a session recorded by util-linux `script --log-out --log-timing`:
 * the bytes as the terminal got them, at the moments it got them. Plays with `asciinema play` or the web
 * player.
 */
export function toAsciicast(out: Buffer, timing: string, width: number, height: number, title: string): string {
  // The log starts with a "Script started on …" line that the timing does not count.
  let at = out.indexOf(0x0a) + 1;
  const decoder = new TextDecoder('utf-8');
  const events: string[] = [];
  let t = 0;
  for (const line of timing.split('\n')) {
    const [delay, bytes] = line.trim().split(/\s+/).map(Number);
    if (delay === undefined || bytes === undefined || Number.isNaN(bytes)) continue;
    t += delay;
    // A character split between two writes is held back until its end arrives.
    const text = decoder.decode(out.subarray(at, at + bytes), { stream: true });
    at += bytes;
    if (text) events.push(JSON.stringify([Math.round(t * 1e6) / 1e6, 'o', text]));
  }
  const header = { version: 2, width, height, title, env: { TERM: 'xterm-256color', SHELL: '/bin/bash' } };
  return `${[JSON.stringify(header), ...events].join('\n')}\n`;
}

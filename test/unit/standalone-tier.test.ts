import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import standalone from '../../vitest.standalone.config.js';

const ROOT = path.resolve(__dirname, '../..');

describe("the single file's tier", () => {
  // A renamed or deleted test file would leave the list quietly shorter: the single file untested there.
  it('names only test files that exist, node and systemd tiers among them', () => {
    const files = standalone.test?.include ?? [];
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(existsSync(path.join(ROOT, file)), file).toBe(true);
    expect(files.some((f) => f.startsWith('test/systemd/'))).toBe(true);
    expect(files).toContain('test/systemd/standalone.systemd.test.ts');
  });
});

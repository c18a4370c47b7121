#!/usr/bin/env node
// The house rule Biome's lineWidth only formats toward: no line over 120 characters in src, test, bench, scripts.
// Lists file:line for each offender and exits 1 if any (run by `npm run lint`).
import fs from 'node:fs';
import path from 'node:path';

const LIMIT = 120;
const DIRS = ['src', 'test', 'bench', 'scripts'];
const SOURCE = /\.(ts|tsx|mjs|cjs|js|py)$/;

function* files(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(rel);
    else if (SOURCE.test(entry.name)) yield rel;
  }
}

const offenders = [];
for (const dir of DIRS) {
  for (const file of files(dir)) {
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if ([...line].length > LIMIT) offenders.push(`${file}:${i + 1}: ${[...line].length} characters`);
      });
  }
}
for (const o of offenders) process.stderr.write(`${o}\n`);
if (offenders.length) process.stderr.write(`${offenders.length} lines over ${LIMIT} characters\n`);
process.exit(offenders.length ? 1 : 0);

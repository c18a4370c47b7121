#!/usr/bin/env node
// kubesup-tui's command. Kept in plain JavaScript that any Node can parse, so that an old Node gets a clear
// reason instead of a syntax error from the bundle.
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write(`kubesup-tui: needs Node.js 20 or newer (this is ${process.version})\n`);
  process.exit(1);
}
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));

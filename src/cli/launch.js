// kubesup-tui's entry for Node.js (dist/cli.js; bin/kubesup-tui.js runs it). Kept in plain JavaScript that
// any Node.js can parse, and importing the bundle only after the version check: on an older Node the bundle
// would fail with riddles (a RegExp flag, a missing export of node:stream) instead of saying why.
const NEEDED = 20;
const major = Number(process.versions.node.split('.')[0]);
if (major < NEEDED) {
  process.stderr.write(
    `kubesup-tui: needs Node.js ${NEEDED} or newer, this is ${process.version}; ` +
      'without it, run the single-file kubesup-tui-linux-x64 (or -arm64), which needs no runtime (see the README)\n',
  );
  process.exit(1);
}
// `status` has an entry of its own, its code in one file instead of a dozen chunks: it starts faster.
const { main } = await import(process.argv[2] === 'status' ? './status.js' : './kubesup.js');
process.exitCode = await main(process.argv.slice(2));

/**
 * The entry of the single-file build (`npm run build:standalone`): the same command line as the npm package,
 * in one executable with its own runtime, for nodes without Node.js 20 (CentOS 7 has glibc 2.17).
 * `status` has a bundle of its own in the executable, as in the npm package (src/cli/launch.js): it loads a
 * third of the code, and starts faster.
 */
const argv = process.argv.slice(2);
const { main } = argv[0] === 'status' ? await import('./status-main.js') : await import('./main.js');
process.exitCode = await main(argv);

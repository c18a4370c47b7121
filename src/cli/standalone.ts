/**
 * The entry of the single-file build (`npm run build:standalone`): the same command line as the npm package,
 * in one executable with its own runtime, for nodes without Node.js 20 (CentOS 7 has glibc 2.17).
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));

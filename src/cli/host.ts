/**
 * The one place that wires the real adapters into a Host for the commands. Tests build a fake one
 * (test/helpers/fake-host.ts) or run the real one inside a test node.
 */
import os from 'node:os';
import { createCgroupWriter } from '../adapters/cgroup-writer.js';
import { createExecaRunner } from '../adapters/execa-runner.js';
import { createHttpProbe } from '../adapters/http-probe.js';
import { readLocalZoneFile } from '../adapters/local-zone.js';
import { createNodeFiles } from '../adapters/node-files.js';
import { createNodeWriter } from '../adapters/node-writer.js';
import { createProcTable } from '../adapters/proc-table.js';
import { createRpcTransport } from '../adapters/supervisor-rpc.js';
import { createSystemClock } from '../adapters/system-clock.js';
import type { Host } from '../core/host.js';
import { fixedZoneLocalTime, fixedZoneOf, setLocalTime } from '../core/supervisor/local-time.js';

export function createRealHost(): Host {
  // supervisord's log times without loading the runtime's time-zone database, where the node's zone allows.
  const tzif = readLocalZoneFile(process.env);
  const zone = tzif && fixedZoneOf(tzif);
  if (zone) setLocalTime(fixedZoneLocalTime(zone));
  return {
    files: createNodeFiles(),
    writer: createNodeWriter(),
    procs: createProcTable(),
    cgroups: createCgroupWriter(),
    http: createHttpProbe(),
    runner: createExecaRunner(),
    clock: createSystemClock(),
    connect: createRpcTransport,
    hostname: os.hostname(),
    isRoot: process.getuid?.() === 0,
    pid: process.pid,
    env: process.env,
  };
}

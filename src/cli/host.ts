/**
 * The one place that wires real adapters together for the commands. Tests build their own Host.
 */
import os from 'node:os';
import { createExecaRunner } from '../adapters/execa-runner.js';
import { createHttpProbe } from '../adapters/http-probe.js';
import { createNodeFiles } from '../adapters/node-files.js';
import { createNodeWriter } from '../adapters/node-writer.js';
import { createProcTable } from '../adapters/proc-table.js';
import { createRpcTransport, type RpcOptions } from '../adapters/supervisor-rpc.js';
import type { CommandRunner, FileReader, FileWriter, HttpProbe, ProcessTable, RpcTransport } from '../core/host.js';

export interface Host {
  readonly files: FileReader;
  readonly writer: FileWriter;
  readonly procs: ProcessTable;
  readonly http: HttpProbe;
  readonly runner: CommandRunner;
  readonly hostname: string;
  readonly isRoot: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  connect(options: RpcOptions): RpcTransport & { close(): void };
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export function createRealHost(): Host {
  return {
    files: createNodeFiles(),
    writer: createNodeWriter(),
    procs: createProcTable(),
    http: createHttpProbe(),
    runner: createExecaRunner(),
    hostname: os.hostname(),
    isRoot: process.getuid?.() === 0,
    env: process.env,
    connect: createRpcTransport,
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

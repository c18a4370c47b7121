import { describe, expect, it } from 'vitest';
import type { FileReader } from '../../../src/core/host.js';
import { HistoryFeed } from '../../../src/core/monitor/history-feed.js';
import type { SupervisorClient } from '../../../src/core/supervisor/client.js';

const LOG_PATH = '/var/log/supervisor/supervisord.log';
const LOG = [
  '2026-11-26 10:00:00,001 INFO supervisord started with pid 7',
  "2026-11-26 10:00:01,002 INFO spawned: 'kubelet' with pid 42",
  '2026-11-26 10:05:00,003 WARN exited: kubelet (exit status 1; not expected)',
  "2026-11-26 10:05:01,004 INFO spawned: 'kubelet' with pid 43",
  '',
].join('\n');

/** The main log as this node's file; `readable` false: reading it fails as a file root alone may read. */
function files(text: string, readable = true): FileReader {
  const bytes = Buffer.from(text);
  return {
    size: async (path: string) => (path === LOG_PATH ? bytes.length : undefined),
    readRange: async (path: string, offset: number, length: number) => {
      if (path !== LOG_PATH) return undefined;
      if (!readable) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return bytes.subarray(offset, offset + length);
    },
  } as unknown as FileReader;
}

/** supervisord serving the same log, counting its readLog calls. */
function supervisor(text: string): SupervisorClient & { reads: number } {
  const bytes = Buffer.from(text);
  const s = {
    reads: 0,
    readLog: async (offset: number, length: number) => {
      s.reads++;
      return bytes.subarray(offset, offset + length).toString('utf8');
    },
  };
  return s as unknown as SupervisorClient & { reads: number };
}

describe("the main log's lines", () => {
  it('are read from its file when it is this node’s: supervisord is not asked', async () => {
    const feed = new HistoryFeed(files(LOG), LOG_PATH);
    const served = supervisor(LOG);
    await feed.read(served, [], true, Date.now());
    expect(feed.history.history('kubelet').exits).toHaveLength(1);
    expect(served.reads).toBe(0);
  });

  it('come from supervisord when the file cannot be read here, the same history', async () => {
    const feed = new HistoryFeed(files(LOG, false), LOG_PATH);
    const served = supervisor(LOG);
    await feed.read(served, [], true, Date.now());
    expect(feed.history.history('kubelet').exits).toHaveLength(1);
    expect(served.reads).toBeGreaterThan(0);
  });
});

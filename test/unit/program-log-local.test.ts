// The followed log read from the node's own file (program-log.ts): the same lines as supervisord serves, a
// character split by the writer waits for its last byte, and supervisord still answers what the file cannot.
import { describe, expect, it } from 'vitest';
import type { Host, RpcTransport, RpcValue } from '../../src/core/host.js';
import { followProgramLog } from '../../src/core/monitor/program-log.js';
import { RpcFault } from '../../src/core/supervisor/xmlrpc.js';
import { fakeHost } from '../helpers/fake-host/index.js';

const LOG = '/var/log/supervisor/kubelet.log';

/** supervisord's side: what it was asked; it serves `served` (or says there is no file). */
function supervisord(served?: Buffer): RpcTransport & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async call(method: string, params: readonly RpcValue[] = []): Promise<RpcValue> {
      asked.push(method);
      if (!served) throw new RpcFault(70, 'NO_FILE');
      if (method === 'supervisor.tailProcessStdoutLog') return ['', served.length, false];
      const [, offset, length] = params as [string, number, number];
      return served.subarray(offset, offset + length).toString('utf8');
    },
  };
}

describe("the followed log, read from this node's file", () => {
  it('hands out the lines supervisord would, without asking it, and a split character once it is whole', async () => {
    const { host, files } = fakeHost();
    const transport = supervisord();
    files.put(LOG, 'I1207 first line\n');
    const follower = followProgramLog(host as Host, transport, 'kubelet', LOG, true);
    expect((await follower.poll()).lines).toEqual(['I1207 first line']);
    const euro = Buffer.from('€ third\n');
    const before = Buffer.from('I1207 first line\nI1207 second\n');
    files.put(LOG, Buffer.concat([before, euro.subarray(0, 2)]));
    expect((await follower.poll()).lines).toEqual(['I1207 second']);
    files.put(LOG, Buffer.concat([before, euro]));
    expect((await follower.poll()).lines).toEqual(['€ third']);
    expect(transport.asked).toEqual([]);
  });

  it('counts a byte-order mark as bytes (no rotation seen where there is none)', async () => {
    const { host, files } = fakeHost();
    let text = '\uFEFFI1207 first line\n';
    files.put(LOG, text);
    const follower = followProgramLog(host as Host, supervisord(), 'kubelet', LOG, true);
    expect((await follower.poll()).lines).toEqual(['\uFEFFI1207 first line']);
    for (let n = 0; n < 4; n++) {
      const line = `I1207 a line long enough to move the fingerprint past the mark, number ${n}`;
      text += `${line}\n`;
      files.put(LOG, text);
      expect(await follower.poll()).toEqual({ lines: [line], rotated: false, lostBytes: 0, more: false });
    }
  });

  it('asks supervisord for bytes that are no UTF-8 (3.x serves them as they are)', async () => {
    const { host, files } = fakeHost();
    const bytes = Buffer.concat([Buffer.from('I1207 bad '), Buffer.from([0xff]), Buffer.from(' byte\n')]);
    files.put(LOG, bytes);
    const transport = supervisord(Buffer.from('I1207 bad \uFFFD byte\n'));
    const follower = followProgramLog(host as Host, transport, 'kubelet', LOG, true);
    expect((await follower.poll()).lines).toEqual(['I1207 bad \uFFFD byte']);
    expect(transport.asked).toContain('supervisor.readProcessStdoutLog');
  });

  it('asks supervisord when the file is not there (it says why) or this process may not read it', async () => {
    const { host, files } = fakeHost();
    const missing = followProgramLog(host as Host, supervisord(), 'kubelet', LOG, true);
    await expect(missing.poll()).rejects.toThrow(/NO_FILE/);
    files.put(LOG, 'I1207 kept from us\n');
    files.unreadable.add(LOG);
    const transport = supervisord(Buffer.from('I1207 served\n'));
    const refused = followProgramLog(host as Host, transport, 'kubelet', LOG, true);
    expect((await refused.poll()).lines).toEqual(['I1207 served']);
    expect(transport.asked).toContain('supervisor.readProcessStdoutLog');
  });

  it('reads through supervisord when its files are not this node’s', async () => {
    const { host, files } = fakeHost();
    files.put(LOG, 'I1207 on this node\n');
    const transport = supervisord(Buffer.from('I1207 over there\n'));
    const remote = followProgramLog(host as Host, transport, 'kubelet', LOG, false);
    expect((await remote.poll()).lines).toEqual(['I1207 over there']);
  });
});

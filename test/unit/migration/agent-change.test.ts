// A re-run of migrate on a migrated node: what its agent options ask that the migration did not do (then the CLI
// regenerates: roll back, migrate again), and what a fresh migration would ignore too.
import { describe, expect, it } from 'vitest';
import {
  type AgentProgram,
  agentChange,
  DEFAULT_PROBE,
  type WatchdogChoice,
} from '../../../src/core/migration/plan/agent.js';

describe("the agent's settings asked again", () => {
  it('on a migrated node, --watchdog-sec, --no-watchdog or --probe that asks something new is a change', async () => {
    const url = 'http://127.0.0.1:10248/healthz';
    const base = { unit: 'kubelet.service', alive_fifo: true, kill_grace: 10 };
    const watched: AgentProgram = { ...base, watchdog_sec: 60, healthz: null };
    const probed: AgentProgram = { ...base, watchdog_sec: null, healthz: { url, ...DEFAULT_PROBE } };
    const version = (v: string | null) => async () => v;
    const def: WatchdogChoice = { kind: 'default' };
    const change = (was: AgentProgram | undefined, choice: WatchdogChoice, probe = {}, v: string | null = null) =>
      agentChange(was, choice, probe, version(v));
    expect(await change(watched, { kind: 'sec', sec: 30 })).toBe('watchdog 60 s -> 30 s');
    expect(await change(watched, { kind: 'sec', sec: 60 })).toBeNull();
    expect(await change(watched, { kind: 'off' })).toBe('watchdog 60 s -> off (the liveness probe)');
    expect(await change(watched, def, { interval: 2 })).toBeNull(); // beside the watchdog: ignored, as when fresh
    expect(await change(probed, def, { interval: 2, grace: 120 })).toBe('liveness probe interval 10 -> 2');
    expect(await change(probed, { kind: 'off' }, { failures: 6 })).toBeNull();
    // The watchdog was off: by --no-watchdog on a 1.35 (a change now), or a 1.28 has none (ignored, as when fresh).
    expect(await change(probed, { kind: 'sec', sec: 30 }, {}, '1.35.0')).toBe('watchdog off -> 30 s');
    expect(await change(probed, { kind: 'sec', sec: 30 }, {}, '1.28.4')).toBeNull();
    expect(await change(undefined, { kind: 'off' })).toBeNull();
    expect(await change({ ...watched, unit: 'etcd.service' }, { kind: 'off' })).toBeNull();
  });
});

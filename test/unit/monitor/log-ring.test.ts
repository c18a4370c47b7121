import { describe, expect, it } from 'vitest';
import { ownCopy } from '../../../src/core/monitor/log-ring.js';

describe('ownCopy', () => {
  it('keeps a line exactly, whatever its characters', () => {
    const answer = `<value><string>I1207 05:30:21.123456  311 kubelet.go:2180] "SyncLoop" pod="ns/pödé" ✓ 🚀\n</string>`;
    const line = answer.slice(15, answer.indexOf('\n'));
    expect(ownCopy(line)).toBe(line);
    expect(ownCopy('short')).toBe('short');
    expect(ownCopy('')).toBe('');
  });
});

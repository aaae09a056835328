import { describe, expect, it } from 'vitest';
import { TimestampUnwrapper } from '../src/session/timestamp-unwrapper.js';

describe('TimestampUnwrapper', () => {
  it('passes ordinary timestamps and small backward steps through', () => {
    const u = new TimestampUnwrapper();
    expect([0, 33, 66, 60, 99].map((t) => u.unwrap(t))).toEqual([0, 33, 66, 60, 99]);
  });
  it('continues past 2^32 at the wrap', () => {
    const u = new TimestampUnwrapper();
    expect(u.unwrap(0xffffffe0)).toBe(0xffffffe0);
    expect(u.unwrap(0x10)).toBe(2 ** 32 + 0x10);
    expect(u.unwrap(0x30)).toBe(2 ** 32 + 0x30);
    // a straggler from before the wrap stays before it
    expect(u.unwrap(0xfffffff0)).toBe(0xfffffff0);
    expect(u.unwrap(0x40)).toBe(2 ** 32 + 0x40);
  });
});

import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAacTag, buildEnhancedVideoTag, buildLegacyAvcTag, encodeAmf0, mediaFromTag, type MediaMessage } from '@livegate/ingest';
import { epochMs, messageOf, relayAgeMs, relayOf } from '../src/workers/protocol.js';

/** A relay message crosses the IPC channel serialized with v8 (`serialization: 'advanced'`); the worker must rebuild the same bus message. */
const across = (m: MediaMessage) => {
  const r = relayOf(7, m);
  if (r.t !== 'm') throw new Error('not a media relay message');
  const got = deserialize(serialize(r)) as typeof r;
  expect(Buffer.isBuffer(got.b)).toBe(true);
  return { r, back: messageOf(got) };
};

describe('viewer worker relay messages', () => {
  it('carries video, audio and data messages as FLV tags the worker parses back to the same message', () => {
    const msgs: MediaMessage[] = [
      mediaFromTag(9, 0, buildLegacyAvcTag({ frameType: 1, packetType: 0, payload: Buffer.from([1, 0x64, 0, 0x1f, 0xff]) }))!,
      mediaFromTag(9, 40, buildLegacyAvcTag({ frameType: 1, packetType: 1, cts: 80, payload: Buffer.from([0, 0, 0, 2, 0x65, 0x88]) }))!,
      mediaFromTag(9, 2 ** 32 + 5, buildEnhancedVideoTag({ fourcc: 'hvc1', frameType: 2, packetType: 3, payload: Buffer.from([0, 0, 0, 1, 2]) }))!,
      mediaFromTag(8, 23, buildAacTag({ packetType: 1, channels: 2, payload: Buffer.from([0x21, 0x10]) }))!,
      mediaFromTag(18, 0, encodeAmf0('onMetaData', { width: 1280, height: 720, videocodecid: 7 }))!,
    ];
    for (const m of msgs) {
      const { r, back } = across(m);
      expect(r).toMatchObject({ t: 'm', s: 7, k: m.kind === 'audio' ? 8 : m.kind === 'video' ? 9 : 18, d: m.dts });
      expect(back).toBeDefined();
      const { body, ...rest } = back!;
      const { body: body0, ...rest0 } = m;
      expect(Buffer.compare(body, body0)).toBe(0);
      expect(JSON.parse(JSON.stringify(rest))).toEqual(JSON.parse(JSON.stringify(rest0)));
    }
  });

  it('stamps each relay message with the main process\'s send time, from which the worker reads its age in transit', () => {
    const m = mediaFromTag(9, 40, buildLegacyAvcTag({ frameType: 2, packetType: 1, payload: Buffer.from([0, 0, 0, 1, 0x41]) }))!;
    const before = epochMs();
    const r = relayOf(1, m);
    if (r.t !== 'm') throw new Error('not a media relay message');
    expect(r.a).toBeGreaterThanOrEqual(before);
    expect(r.a).toBeLessThanOrEqual(epochMs());
    expect(Math.abs(r.a - Date.now())).toBeLessThan(1000); // the epoch clock, the same in every process
    const sent = relayOf(1, m, 5000);
    if (sent.t !== 'm') throw new Error('not a media relay message');
    expect(relayAgeMs(deserialize(serialize(sent)) as { a: number }, 5250.5)).toBe(250.5);
    expect(relayAgeMs(sent, 4990)).toBe(0); // a clock step backwards is no age
  });

  it('round-trips any AVC frame: dts (past 2^32), keyframe flag, composition time and payload', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.boolean(), fc.integer({ min: -1000, max: 1000 }), fc.uint8Array({ maxLength: 64 }), (dts, key, cts, payload) => {
        const m = mediaFromTag(9, dts, buildLegacyAvcTag({ frameType: key ? 1 : 2, packetType: 1, cts, payload: Buffer.from(payload) }))!;
        const back = across(m).back!;
        expect(back).toMatchObject({ kind: 'video', dts, pts: dts + cts, keyframe: key, packet: 'frame' });
        expect(Buffer.compare(back.kind === 'video' ? back.payload : Buffer.alloc(0), Buffer.from(payload))).toBe(0);
      }),
    );
  });
});

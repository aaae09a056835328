import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAacTag, buildEnhancedVideoTag, buildLegacyAvcTag, encodeAmf0, mediaFromTag, type MediaMessage } from '@livegate/ingest';
import { encodeRelayFrame, epochMs, messageOf, RelayFrameError, RelayFrameReader, relayAgeMs, relayOf, ViewersAwaitingOpen, type RelayFrame } from '../src/workers/protocol.js';

const LIMIT = 1 << 20;
/** Every frame a reader makes of `bytes` fed in the given pieces. */
const readAll = (pieces: Buffer[], limit = LIMIT) => {
  const r = new RelayFrameReader(limit);
  const out = pieces.flatMap((p) => r.push(p));
  return { frames: out, left: r.buffered };
};
const bytesOf = (frames: RelayFrame[]) => Buffer.concat(frames.flatMap((f) => encodeRelayFrame(f)));

/** A relay message crosses the media pipe as a relay frame; the worker must rebuild the same bus message. */
const across = (m: MediaMessage) => {
  const r = relayOf(7, m);
  const { frames } = readAll([bytesOf([r])]);
  expect(frames).toHaveLength(1);
  const got = frames[0]!;
  if (got.t !== 'm') throw new Error('not a media relay frame');
  expect(Buffer.isBuffer(got.b)).toBe(true);
  expect(got.a).toBe(r.a);
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
    expect(r.a).toBeGreaterThanOrEqual(before);
    expect(r.a).toBeLessThanOrEqual(epochMs());
    expect(Math.abs(r.a - Date.now())).toBeLessThan(1000); // the epoch clock, the same in every process
    const sent = relayOf(1, m, 5000);
    const got = readAll([bytesOf([sent])]).frames[0] as { a: number };
    expect(relayAgeMs(got, 5250.5)).toBe(250.5);
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

describe('relay frames on the media pipe', () => {
  const open: RelayFrame = { t: 'open', s: 3, app: 'live', name: 'café' };
  const media: RelayFrame = { t: 'm', s: 3, k: 9, d: 2 ** 32 + 40, a: 1700000000123.25, b: Buffer.from([0x17, 1, 0, 0, 0, 0xaa]) };
  const end: RelayFrame = { t: 'end', s: 3, reason: 'kicked' };

  it('encodes to the documented bytes (kind, stream, length, fields) and a media body is not copied', () => {
    expect(bytesOf([open]).toString('hex')).toBe('01' + '00000003' + '0000000b' + '0004' + Buffer.from('livecafé').toString('hex'));
    expect(bytesOf([end]).toString('hex')).toBe('03' + '00000003' + '00000006' + Buffer.from('kicked').toString('hex'));
    const parts = encodeRelayFrame(media);
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe((media as { b: Buffer }).b); // the tag body as it is
    const head = Buffer.alloc(17);
    head.writeUInt8(9, 0);
    head.writeDoubleBE(2 ** 32 + 40, 1);
    head.writeDoubleBE(1700000000123.25, 9);
    expect(parts[0]!.toString('hex')).toBe('02' + '00000003' + '00000017' + head.toString('hex'));
  });

  it('reads the same frames at every split point, slicing a frame inside one chunk without a copy', () => {
    const bytes = bytesOf([open, media, end]);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const { frames, left } = readAll([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(frames).toEqual([open, media, end]);
        expect(left).toBe(0);
      }
    }
    const whole = readAll([bytes]).frames[1] as { b: Buffer };
    expect(whole.b.buffer).toBe(bytes.buffer); // a slice of the chunk it came in
  });

  it('round-trips any sequence of frames fed in any pieces (fast-check)', () => {
    const frame: fc.Arbitrary<RelayFrame> = fc.oneof(
      fc.record({ t: fc.constant('open' as const), s: fc.nat({ max: 2 ** 32 - 1 }), app: fc.string({ maxLength: 20 }), name: fc.string({ maxLength: 20 }) }),
      fc.record({
        t: fc.constant('m' as const),
        s: fc.nat({ max: 2 ** 32 - 1 }),
        k: fc.constantFrom(8, 9, 18),
        d: fc.integer({ min: 0, max: 2 ** 45 }),
        a: fc.double({ noNaN: true, noDefaultInfinity: true }),
        b: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
      }),
      fc.record({ t: fc.constant('end' as const), s: fc.nat({ max: 2 ** 32 - 1 }), reason: fc.constantFrom('ended', 'slow', 'unsubscribed', 'replaced', 'shutdown', 'kicked' as const) }),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (frames, cuts) => {
        const bytes = bytesOf(frames);
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
        const pieces = [0, ...at].map((from, i) => bytes.subarray(from, [...at, bytes.length][i]));
        const got = readAll(pieces);
        expect(got.left).toBe(0);
        expect(got.frames.map((f) => (f.t === 'm' ? { ...f, b: Buffer.from(f.b) } : f))).toEqual(frames);
      }),
    );
  });

  it('throws only RelayFrameError on mutated bytes, and never holds more than one frame past the limit', () => {
    const good = bytesOf([open, media, end, media]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(), (flips, cut) => {
        const bytes = Buffer.from(good);
        for (const [i, v] of flips) bytes[i % bytes.length] = v;
        const c = cut % (bytes.length + 1);
        const r = new RelayFrameReader(64);
        try {
          r.push(bytes.subarray(0, c));
          r.push(bytes.subarray(c));
        } catch (err) {
          expect(err).toBeInstanceOf(RelayFrameError);
          return;
        }
        expect(r.buffered).toBeLessThanOrEqual(9 + 64);
      }),
    );
  });

  it('refuses a frame longer than the limit as soon as its head arrives, an unknown kind and bad fields', () => {
    const big = encodeRelayFrame({ ...media, b: Buffer.alloc(100) } as RelayFrame)[0]!;
    expect(() => new RelayFrameReader(99).push(big)).toThrow(/117 bytes \(limit 99\)/);
    expect(() => readAll([Buffer.from('07000000010000000000', 'hex')])).toThrow(/kind 7/);
    expect(() => readAll([Buffer.from('0300000001000000026e6f', 'hex')])).toThrow(RelayFrameError); // end, reason "no"
    expect(() => readAll([Buffer.from('0100000001000000020009', 'hex')])).toThrow(/open frame too short/);
    expect(() => readAll([Buffer.from('02000000010000000309ffff', 'hex')])).toThrow(/media frame of 3 bytes/);
  });
});

describe('viewers handed over before their relay opened (the IPC channel and the media pipe are not ordered)', () => {
  it('holds a viewer of a relay not yet opened until its open frame, serves others at once, and gives up held ones on kick or shutdown', () => {
    const w = new ViewersAwaitingOpen<{ id: string }>();
    expect(w.admit(1, { id: 'a' })).toBe(false); // relay 1's open is still on the pipe
    expect(w.admit(2, { id: 'b' })).toBe(false);
    expect(w.admit(1, { id: 'c' })).toBe(false);
    expect(w.opened(1).map((v) => v.id)).toEqual(['a', 'c']);
    expect(w.admit(1, { id: 'd' })).toBe(true); // opened (and perhaps ended since: the worker refuses it then)
    expect(w.take('b')).toEqual({ id: 'b' }); // kicked while held
    expect(w.take('b')).toBeUndefined();
    expect(w.opened(2)).toEqual([]);
    expect(w.admit(2, { id: 'e' })).toBe(true);
    expect(w.admit(1, { id: 'f' })).toBe(true); // an older relay: served (or refused) now, never held
    expect(w.admit(4, { id: 'g' })).toBe(false);
    expect(w.opened(3)).toEqual([]); // relay 3 opened: 4 is still ahead
    expect(w.admit(5, { id: 'h' })).toBe(false);
    expect(w.drain().map((v) => v.id)).toEqual(['g', 'h']);
    expect(w.drain()).toEqual([]);
  });
});

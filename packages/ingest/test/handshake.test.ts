import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIngestError } from '../src/errors.js';
import { ClientHandshake, ServerHandshake, answerVersion } from '../src/handshake/index.js';
import type { HandshakeStep } from '../src/handshake/index.js';

// ---------------------------------------------------------------------------------------------
// An independent model of the digest handshake, written from ffmpeg's libavformat/rtmpproto.c
// (rtmp_handshake, rtmp_validate_digest) and rtmpdigest.c. It shares no code with src/.
// ---------------------------------------------------------------------------------------------
const SUFFIX = 'F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE';
const FP_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001'), Buffer.from(SUFFIX, 'hex')]);
const FMS_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001'), Buffer.from(SUFFIX, 'hex')]);

function hmac(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** ff_rtmp_calc_digest_pos(buf, off, 728, add). */
function calcDigestPos(buf: Buffer, off: number, add: number): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += buf[off + i]!;
  return (sum % 728) + add;
}

/** ff_rtmp_calc_digest(buf, 1536, gap, key, keylen): HMAC over the packet skipping 32 bytes at gap. */
function calcDigest(buf: Buffer, gap: number, key: Buffer): Buffer {
  return hmac(key, buf.subarray(0, gap), buf.subarray(gap + 32));
}

/** rtmp_validate_digest(buf, off) with the 36-byte server key: digest position or 0. */
function ffValidateServerDigest(s1: Buffer, off: number): number {
  const pos = calcDigestPos(s1, off, off + 4);
  return calcDigest(s1, pos, FMS_KEY.subarray(0, 36)).equals(s1.subarray(pos, pos + 32)) ? pos : 0;
}

/** Deterministic byte source: a 32-bit LCG, so vectors are reproducible. */
function lcg(seed: number): (n: number) => Buffer {
  let x = seed >>> 0;
  return (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      b[i] = x >>> 24;
    }
    return b;
  };
}

/** C0+C1 exactly as ffmpeg builds it (rtmp_handshake, unencrypted): uptime 0, version 9.0.124.2, digest at offset-8 scheme. */
function ffmpegC0C1(rand: (n: number) => Buffer): { c0c1: Buffer; clientPos: number } {
  const c0c1 = Buffer.alloc(1537);
  c0c1[0] = 3;
  c0c1.set([9, 0, 124, 2], 5);
  rand(1528).copy(c0c1, 9);
  const c1 = c0c1.subarray(1);
  const clientPos = calcDigestPos(c1, 8, 12);
  calcDigest(c1, clientPos, FP_KEY.subarray(0, 30)).copy(c1, clientPos);
  return { c0c1, clientPos };
}

/** ffmpeg's player-side check of S1/S2 ("Server response validating failed", "Signature mismatch"). */
function ffmpegAcceptsServer(c1: Buffer, clientPos: number, s1: Buffer, s2: Buffer): boolean {
  if (s1[4]! < 3) return true; // ffmpeg skips validation for such servers
  let serverPos = ffValidateServerDigest(s1, 772);
  if (!serverPos) serverPos = ffValidateServerDigest(s1, 8);
  if (!serverPos) return false;
  const digest = hmac(FMS_KEY, c1.subarray(clientPos, clientPos + 32));
  const signature = hmac(digest, s2.subarray(0, 1536 - 32));
  return signature.equals(s2.subarray(1536 - 32));
}

function collect(steps: HandshakeStep[]): { out: Buffer; done: boolean; rest: Buffer } {
  const last = steps[steps.length - 1]!;
  return {
    out: Buffer.concat(steps.flatMap((s) => s.out)),
    done: last.done,
    rest: Buffer.concat(steps.map((s) => s.rest ?? Buffer.alloc(0))),
  };
}

const NOW = 0x01020304;

describe('ServerHandshake, plain C1', () => {
  // C1: time 0x0000abcd, zero, then 1528 bytes of pattern i & 0xff.
  const c1 = Buffer.alloc(1536);
  c1.writeUInt32BE(0xabcd, 0);
  for (let i = 8; i < 1536; i++) c1[i] = i & 0xff;
  const c0c1 = Buffer.concat([Buffer.from([3]), c1]);
  const c2 = Buffer.alloc(1536, 0x5a);
  const after = Buffer.from([0x02, 0x00, 0x00, 0x00]);

  it('golden vector: S0 = 03, S1 = now | 0 | random, S2 = C1 echoed', () => {
    const hs = new ServerHandshake({ random: (n) => Buffer.alloc(n, 0xa5), now: () => NOW });
    const step = hs.push(c0c1);
    expect(step.done).toBe(false);
    expect(step.out).toHaveLength(1);
    const res = step.out[0]!;
    expect(res.length).toBe(3073);
    expect(res[0]).toBe(0x03); // S0
    expect(res.subarray(1, 9).toString('hex')).toBe('0102030400000000'); // S1 time, zero
    expect(res.subarray(9, 1537).equals(Buffer.alloc(1528, 0xa5))).toBe(true); // S1 random
    expect(res.subarray(1537).equals(c1)).toBe(true); // S2 = C1
    expect(hs.digestScheme).toBeUndefined();
    expect(hs.clientVersion).toBe('0.0.0.0');
    const fin = hs.push(Buffer.concat([c2, after]));
    expect(fin).toEqual({ out: [], done: true, rest: after });
    expect(hs.done).toBe(true);
  });

  it('gives the same answer at every split point, and returns the bytes after C2', () => {
    const all = Buffer.concat([c0c1, c2, after]);
    const ref = collect([new ServerHandshake({ random: lcg(1), now: () => NOW }).push(all)]);
    expect(ref.done).toBe(true);
    expect(ref.rest.equals(after)).toBe(true);
    for (let i = 0; i <= all.length; i++) {
      const hs = new ServerHandshake({ random: lcg(1), now: () => NOW });
      const got = collect([hs.push(all.subarray(0, i)), hs.push(all.subarray(i))]);
      expect(got.out.equals(ref.out)).toBe(true);
      expect(got.done).toBe(true);
      expect(got.rest.equals(after)).toBe(true);
    }
  });

  it('gives the same answer for random pieces (fast-check)', () => {
    const all = Buffer.concat([c0c1, c2, after]);
    const ref = collect([new ServerHandshake({ random: lcg(1), now: () => NOW }).push(all)]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: all.length }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), all.length];
        const hs = new ServerHandshake({ random: lcg(1), now: () => NOW });
        const steps: HandshakeStep[] = [];
        for (let i = 1; i < points.length; i++) steps.push(hs.push(all.subarray(points[i - 1]!, points[i]!)));
        const got = collect(steps);
        return got.done && got.out.equals(ref.out) && got.rest.equals(after);
      }),
      { numRuns: 200 },
    );
  });

  it('does not keep the caller waiting on an empty push', () => {
    const hs = new ServerHandshake();
    expect(hs.push(Buffer.alloc(0))).toEqual({ out: [], done: false, rest: undefined });
  });

  it('passes bytes through once done', () => {
    const hs = new ServerHandshake();
    hs.push(Buffer.concat([c0c1, c2]));
    expect(hs.push(after)).toEqual({ out: [], done: true, rest: after });
  });
});

describe('ServerHandshake, digest C1 (as ffmpeg sends it)', () => {
  it('answers with an S1 digest and S2 signature that ffmpeg accepts (independent check)', () => {
    const { c0c1, clientPos } = ffmpegC0C1(lcg(0xdeadc0de));
    const hs = new ServerHandshake({ random: lcg(7), now: () => NOW });
    const res = hs.push(c0c1).out[0]!;
    const s1 = res.subarray(1, 1537);
    const s2 = res.subarray(1537);
    expect(res[0]).toBe(3);
    expect(s1.readUInt32BE(0)).toBe(NOW);
    expect([...s1.subarray(4, 8)]).toEqual([4, 5, 0, 1]); // byte 4 >= 3: ffmpeg validates
    expect(hs.digestScheme).toBe(1); // same scheme as ffmpeg's C1 (offset from bytes 8-11)
    expect(hs.clientVersion).toBe('9.0.124.2');
    // The S1 digest sits where the offset-8 scheme says, and ffmpeg's validator finds it there.
    expect(ffValidateServerDigest(s1, 8)).toBe(calcDigestPos(s1, 8, 12));
    expect(ffmpegAcceptsServer(c0c1.subarray(1), clientPos, s1, s2)).toBe(true);
  });

  it('golden vector: fixed randomness gives exactly the S0+S1+S2 rebuilt independently', () => {
    const { c0c1, clientPos } = ffmpegC0C1(lcg(0xdeadc0de));
    const res = new ServerHandshake({ random: lcg(7), now: () => NOW }).push(c0c1).out[0]!;
    // Rebuild from the same random stream: S1 takes the first 1528 bytes, S2 the next 1504.
    const rand = lcg(7);
    const s1 = Buffer.alloc(1536);
    s1.writeUInt32BE(NOW, 0);
    s1.set([4, 5, 0, 1], 4);
    rand(1528).copy(s1, 8);
    const pos = calcDigestPos(s1, 8, 12);
    calcDigest(s1, pos, FMS_KEY.subarray(0, 36)).copy(s1, pos);
    const s2 = Buffer.alloc(1536);
    rand(1504).copy(s2);
    const key = hmac(FMS_KEY, c0c1.subarray(1 + clientPos, 1 + clientPos + 32));
    hmac(key, s2.subarray(0, 1504)).copy(s2, 1504);
    expect(res.equals(Buffer.concat([Buffer.from([3]), s1, s2]))).toBe(true);
    // Pinned, so a change in either model shows up here.
    expect(createHmac('sha256', 'pin').update(res).digest('hex').slice(0, 16)).toBe('c1b67913e3d878c4');
  });

  it('answers a scheme-0 C1 (digest after the key block) in scheme 0', () => {
    const c0c1 = Buffer.alloc(1537);
    c0c1[0] = 3;
    c0c1.set([10, 0, 32, 18], 5);
    lcg(99)(1528).copy(c0c1, 9);
    const c1 = c0c1.subarray(1);
    const clientPos = calcDigestPos(c1, 772, 776);
    calcDigest(c1, clientPos, FP_KEY.subarray(0, 30)).copy(c1, clientPos);
    const hs = new ServerHandshake({ random: lcg(3) });
    const res = hs.push(c0c1).out[0]!;
    expect(hs.digestScheme).toBe(0);
    const s1 = res.subarray(1, 1537);
    expect(ffValidateServerDigest(s1, 772)).toBe(calcDigestPos(s1, 772, 776));
    expect(ffmpegAcceptsServer(c1, clientPos, s1, res.subarray(1537))).toBe(true);
  });

  it('falls back to the plain answer when a non-zero-version C1 has no valid digest', () => {
    const c0c1 = Buffer.alloc(1537);
    c0c1[0] = 3;
    c0c1.set([9, 0, 124, 2], 5);
    lcg(5)(1528).copy(c0c1, 9);
    const hs = new ServerHandshake({ random: lcg(3), now: () => NOW });
    const res = hs.push(c0c1).out[0]!;
    expect(hs.digestScheme).toBeUndefined();
    expect(res.subarray(5, 9).toString('hex')).toBe('00000000');
    expect(res.subarray(1537).equals(c0c1.subarray(1))).toBe(true);
  });
});

describe('C0 version', () => {
  it('accepts 3, answers 3 to reserved versions, refuses RTMPE, deprecated and non-RTMP bytes', () => {
    expect(answerVersion(3)).toBe(3);
    expect(answerVersion(4)).toBe(3);
    expect(answerVersion(31)).toBe(3);
    for (const v of [0, 1, 2, 6, 8, 9, 32, 0x47, 0x16, 255]) {
      expect(() => answerVersion(v)).toThrow(expect.objectContaining({ code: 'ERR_HANDSHAKE_VERSION' }));
    }
    expect(() => answerVersion(0x47)).toThrow(/C0 version 71 \('G'/);
    expect(() => answerVersion(6)).toThrow(/RTMPE/);
    expect(() => answerVersion(0x16)).toThrow(/TLS/);
  });

  it('refuses a bad C0 at its first byte', () => {
    const hs = new ServerHandshake();
    expect(() => hs.push(Buffer.from('G'))).toThrow(expect.objectContaining({ code: 'ERR_HANDSHAKE_VERSION' }));
  });
});

describe('ClientHandshake', () => {
  it('sends a C1 like ffmpeg: version 9.0.124.2 and a valid offset-8 digest', () => {
    const client = new ClientHandshake({ random: lcg(11), now: () => 0 });
    const c0c1 = client.start();
    expect(c0c1.length).toBe(1537);
    expect(c0c1[0]).toBe(3);
    const c1 = c0c1.subarray(1);
    expect(c1.subarray(0, 8).toString('hex')).toBe('0000000009007c02');
    const pos = calcDigestPos(c1, 8, 12);
    expect(c1.subarray(pos, pos + 32).equals(calcDigest(c1, pos, FP_KEY.subarray(0, 30)))).toBe(true);
  });

  it('completes a digest handshake with ServerHandshake at every split point, C2 signed as ffmpeg signs it', () => {
    const client0 = new ClientHandshake({ random: lcg(11), now: () => 0 });
    const server0 = new ServerHandshake({ random: lcg(12), now: () => NOW });
    const c0c1 = client0.start();
    const res = server0.push(c0c1).out[0]!;
    const trailing = Buffer.from([0xc2, 0x00]);
    const fromServer = Buffer.concat([res, trailing]);
    for (let i = 0; i <= fromServer.length; i += 7) {
      const client = new ClientHandshake({ random: lcg(11), now: () => 0 });
      client.start();
      const got = collect([client.push(fromServer.subarray(0, i)), client.push(fromServer.subarray(i))]);
      expect(got.done).toBe(true);
      expect(got.rest.equals(trailing)).toBe(true);
      const c2 = got.out;
      expect(c2.length).toBe(1536);
      // ffmpeg's player C2: key = HMAC(full player key, S1 digest), signature over C2[0..1504].
      const s1 = res.subarray(1, 1537);
      const sPos = calcDigestPos(s1, 8, 12);
      const key = hmac(FP_KEY, s1.subarray(sPos, sPos + 32));
      expect(hmac(key, c2.subarray(0, 1504)).equals(c2.subarray(1504))).toBe(true);
      expect(client.serverVersion).toBe('4.5.0.1');
      // And the server accepts C2 and is done.
      expect(server0.push(c2).done || server0.done).toBe(true);
    }
  });

  it('completes a plain handshake: C2 echoes S1', () => {
    const client = new ClientHandshake({ digest: false, random: lcg(2), now: () => 77 });
    const c0c1 = client.start();
    expect(c0c1.subarray(1, 9).toString('hex')).toBe('0000004d00000000');
    const server = new ServerHandshake({ random: lcg(3), now: () => NOW });
    const res = server.push(c0c1).out[0]!;
    const step = client.push(res);
    expect(step.done).toBe(true);
    expect(step.out[0]!.equals(res.subarray(1, 1537))).toBe(true);
    expect(server.push(step.out[0]!).done).toBe(true);
  });

  it('echoes S1 without checking when the server S1 version byte is below 3 (as ffmpeg skips it)', () => {
    const client = new ClientHandshake({ random: lcg(2) });
    client.start();
    const res = Buffer.alloc(3073);
    res[0] = 3;
    res[5] = 1;
    const step = client.push(res);
    expect(step.out[0]!.equals(res.subarray(1, 1537))).toBe(true);
  });

  it('rejects an S1 without a valid digest and an S2 with a bad signature', () => {
    const client = new ClientHandshake({ random: lcg(2) });
    client.start();
    const res = Buffer.alloc(3073);
    res[0] = 3;
    res.set([4, 5, 0, 1], 5);
    expect(() => client.push(res)).toThrow(expect.objectContaining({ code: 'ERR_HANDSHAKE_DIGEST' }));

    const client2 = new ClientHandshake({ random: lcg(2) });
    const server = new ServerHandshake({ random: lcg(3) });
    const good = server.push(client2.start()).out[0]!;
    const bad = Buffer.from(good);
    bad[3072] = bad[3072]! ^ 1;
    expect(() => client2.push(bad)).toThrow(/S2 signature/);
  });

  it('refuses an S0 other than 3', () => {
    const client = new ClientHandshake();
    client.start();
    expect(() => client.push(Buffer.from([6]))).toThrow(expect.objectContaining({ code: 'ERR_HANDSHAKE_VERSION' }));
  });

  it('only throws IngestError on arbitrary server bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 3073, maxLength: 3080 }), (bytes) => {
        const client = new ClientHandshake({ random: lcg(2) });
        client.start();
        try {
          client.push(Buffer.from(bytes));
        } catch (e) {
          return isIngestError(e);
        }
        return true;
      }),
      { numRuns: 100 },
    );
  });
});

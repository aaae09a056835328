/**
 * A hand-built RTMP chunk stream and the messages it must decode to. The bytes are written here
 * field by field (not with src/chunk/writer.ts) so reader and writer are checked against the spec,
 * not against each other.
 */
import type { RtmpMessage } from '../src/message/types.js';

/** Basic header, written from spec 5.3.1.1. */
export function basicHeaderBytes(fmt: number, csid: number): number[] {
  if (csid < 64) return [(fmt << 6) | csid];
  if (csid < 320) return [fmt << 6, csid - 64];
  return [(fmt << 6) | 1, (csid - 64) & 0xff, (csid - 64) >> 8];
}

export interface RawChunk {
  fmt: 0 | 1 | 2 | 3;
  csid: number;
  /** 3-byte timestamp / delta field (fmt 0-2); 0xFFFFFF when `ext` is given. */
  ts?: number;
  len?: number;
  type?: number;
  sid?: number;
  /** Extended timestamp bytes to write after the message header (also on fmt 3). */
  ext?: number;
  payload: Buffer;
}

/** One chunk, written from spec 5.3.1. */
export function rawChunk(c: RawChunk): Buffer {
  const bytes: number[] = basicHeaderBytes(c.fmt, c.csid);
  const ts = c.ext !== undefined && c.fmt !== 3 ? 0xffffff : (c.ts ?? 0);
  if (c.fmt <= 2) bytes.push((ts >> 16) & 0xff, (ts >> 8) & 0xff, ts & 0xff);
  if (c.fmt <= 1) {
    const len = c.len ?? c.payload.length;
    bytes.push((len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff, c.type ?? 0);
  }
  if (c.fmt === 0) {
    const sid = c.sid ?? 0;
    bytes.push(sid & 0xff, (sid >> 8) & 0xff, (sid >> 16) & 0xff, (sid >>> 24) & 0xff);
  }
  if (c.ext !== undefined) bytes.push((c.ext >>> 24) & 0xff, (c.ext >> 16) & 0xff, (c.ext >> 8) & 0xff, c.ext & 0xff);
  return Buffer.concat([Buffer.from(bytes), c.payload]);
}

/** `n` bytes of a pattern that depends on `seed` (never starts with 0x12345678 or 0x01000000). */
export function pattern(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (seed * 31 + i * 7 + 0x40) & 0xff;
  return b;
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}

/**
 * The stream: interleaved chunk streams, a Set Chunk Size while a message is partial, type 1/2/3
 * headers with deltas, extended timestamps repeated (Adobe) and not repeated (old ffmpeg) on type 3
 * chunks, a type 3 new message after a type 0 one, an Abort, 1/2/3-byte basic headers, a 32-bit
 * timestamp wrap, a zero-length message, a fresh type 1 chunk stream (librtmp ping), a second
 * chunk size change.
 */
export function buildVectorStream(): { stream: Buffer; messages: RtmpMessage[]; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const messages: RtmpMessage[] = [];
  const c = (x: RawChunk) => chunks.push(rawChunk(x));
  const m = (csid: number, typeId: number, streamId: number, timestamp: number, payload: Buffer) =>
    messages.push({ csid, typeId, streamId, timestamp, payload });

  const P1 = pattern(300, 1);
  const winAck = u32(2_500_000);
  c({ fmt: 0, csid: 3, ts: 0, len: 300, type: 20, sid: 0, payload: P1.subarray(0, 128) });
  c({ fmt: 0, csid: 2, ts: 0, type: 5, sid: 0, payload: winAck });
  m(2, 5, 0, 0, winAck);
  c({ fmt: 3, csid: 3, payload: P1.subarray(128, 256) });
  c({ fmt: 3, csid: 3, payload: P1.subarray(256, 300) });
  m(3, 20, 0, 0, P1);

  // Chunk size 128 -> 200 while video on csid 4 is partial.
  const V1 = pattern(500, 2);
  c({ fmt: 0, csid: 4, ts: 1000, len: 500, type: 9, sid: 1, payload: V1.subarray(0, 128) });
  c({ fmt: 0, csid: 2, ts: 0, type: 1, sid: 0, payload: u32(200) });
  m(2, 1, 0, 0, u32(200));
  c({ fmt: 3, csid: 4, payload: V1.subarray(128, 328) });
  c({ fmt: 3, csid: 4, payload: V1.subarray(328, 500) });
  m(4, 9, 1, 1000, V1);
  const V2 = pattern(10, 3);
  const V3 = pattern(10, 4);
  const V4 = pattern(10, 5);
  c({ fmt: 1, csid: 4, ts: 33, len: 10, type: 9, payload: V2 });
  m(4, 9, 1, 1033, V2);
  c({ fmt: 2, csid: 4, ts: 34, payload: V3 });
  m(4, 9, 1, 1067, V3);
  c({ fmt: 3, csid: 4, payload: V4 });
  m(4, 9, 1, 1101, V4);

  // Extended timestamp, repeated on type 3 chunks (Adobe).
  const A1 = pattern(300, 6);
  c({ fmt: 0, csid: 6, ext: 0x01000000, len: 300, type: 8, sid: 1, payload: A1.subarray(0, 200) });
  c({ fmt: 3, csid: 6, ext: 0x01000000, payload: A1.subarray(200, 300) });
  m(6, 8, 1, 0x01000000, A1);
  // Extended timestamp, not repeated on the continuation chunk (ffmpeg/librtmp before 2014).
  const B1 = pattern(250, 7);
  c({ fmt: 0, csid: 7, ext: 0x12345678, len: 250, type: 8, sid: 1, payload: B1.subarray(0, 200) });
  c({ fmt: 3, csid: 7, payload: B1.subarray(200, 250) });
  m(7, 8, 1, 0x12345678, B1);
  // A new message in a type 3 chunk after a type 0 one: the type 0 timestamp is the delta (ffmpeg, librtmp).
  const A2 = pattern(300, 8);
  c({ fmt: 3, csid: 6, ext: 0x01000000, payload: A2.subarray(0, 200) });
  c({ fmt: 3, csid: 6, ext: 0x01000000, payload: A2.subarray(200, 300) });
  m(6, 8, 1, 0x02000000, A2);

  // Abort drops the partial message on csid 5; a fresh type 0 message follows there.
  c({ fmt: 0, csid: 5, ts: 5, len: 400, type: 9, sid: 1, payload: pattern(200, 9) });
  c({ fmt: 0, csid: 2, ts: 0, type: 2, sid: 0, payload: u32(5) });
  m(2, 2, 0, 0, u32(5));
  const Y = pattern(5, 10);
  c({ fmt: 0, csid: 5, ts: 6, type: 9, sid: 1, payload: Y });
  m(5, 9, 1, 6, Y);

  // 2- and 3-byte basic headers.
  for (const [csid, ts] of [
    [64, 7],
    [319, 8],
    [320, 9],
    [65599, 10],
  ] as const) {
    const D = pattern(3, csid);
    c({ fmt: 0, csid, ts, type: 18, sid: 1, payload: D });
    m(csid, 18, 1, ts, D);
  }

  // 32-bit wrap: 0xFFFFFFF0 + 0x20 = 0x10.
  const W1 = pattern(2, 11);
  const W2 = pattern(2, 12);
  c({ fmt: 0, csid: 8, ext: 0xfffffff0, type: 8, sid: 1, payload: W1 });
  m(8, 8, 1, 0xfffffff0, W1);
  c({ fmt: 2, csid: 8, ts: 0x20, payload: W2 });
  m(8, 8, 1, 0x10, W2);

  // Zero-length message.
  c({ fmt: 0, csid: 9, ts: 11, type: 18, sid: 1, payload: Buffer.alloc(0) });
  m(9, 18, 1, 11, Buffer.alloc(0));

  // A chunk stream that starts with a type 1 header: librtmp's first ping (SRS issue #98).
  const ping = Buffer.from('000600000d0f', 'hex');
  c({ fmt: 1, csid: 10, ts: 0, type: 4, payload: ping });
  m(10, 4, 0, 0, ping);

  // Chunk size 200 -> 4096: a 1000-byte message in one chunk.
  c({ fmt: 0, csid: 2, ts: 0, type: 1, sid: 0, payload: u32(4096) });
  m(2, 1, 0, 0, u32(4096));
  const V5 = pattern(1000, 13);
  c({ fmt: 1, csid: 4, ts: 1, len: 1000, type: 9, payload: V5 });
  m(4, 9, 1, 1102, V5);

  return { stream: Buffer.concat(chunks), messages, chunks };
}

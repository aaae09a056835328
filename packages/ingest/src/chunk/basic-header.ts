import { IngestError } from '../errors.js';
import { MAX_CSID, MIN_CSID } from './limits.js';

/**
 * Chunk basic header (Adobe RTMP specification 1.0, section 5.3.1.1): 2-bit fmt and the chunk
 * stream id in 1, 2 or 3 bytes:
 * - 1 byte:  fmt(2) csid(6)            csid 2..63
 * - 2 bytes: fmt(2) 0(6)   b1          csid = 64 + b1            (64..319)
 * - 3 bytes: fmt(2) 1(6)   b1 b2       csid = 64 + b1 + b2 * 256 (64..65599)
 */

/** Chunk header type, the 2-bit fmt field (spec 5.3.1.2). */
export type ChunkFmt = 0 | 1 | 2 | 3;

/** A decoded basic header (spec 5.3.1.1); `size` is how many bytes it took. */
export interface BasicHeader {
  fmt: ChunkFmt;
  csid: number;
  size: 1 | 2 | 3;
}

/** Bytes the basic header of `csid` takes when written in its shortest form (spec 5.3.1.1). */
export function basicHeaderSize(csid: number): 1 | 2 | 3 {
  if (csid < 64) return 1;
  if (csid < 320) return 2;
  return 3;
}

/**
 * Reads a basic header at `offset` (spec 5.3.1.1) into `out`. Returns the bytes it took, or 0 when
 * fewer than that are available before `end`. Never throws: every byte pattern is a valid header.
 */
export function readBasicHeader(buf: Buffer, offset: number, end: number, out: BasicHeader): number {
  if (offset >= end) return 0;
  const b0 = buf[offset]!;
  const fmt = (b0 >> 6) as ChunkFmt;
  const low = b0 & 0x3f;
  if (low >= 2) {
    out.fmt = fmt;
    out.csid = low;
    out.size = 1;
    return 1;
  }
  if (low === 0) {
    if (end - offset < 2) return 0;
    out.fmt = fmt;
    out.csid = 64 + buf[offset + 1]!;
    out.size = 2;
    return 2;
  }
  if (end - offset < 3) return 0;
  out.fmt = fmt;
  out.csid = 64 + buf[offset + 1]! + buf[offset + 2]! * 256;
  out.size = 3;
  return 3;
}

/**
 * Writes the shortest basic header for `fmt` and `csid` at `offset` (spec 5.3.1.1); returns the
 * offset after it. Throws ERR_RTMP_BAD_CHUNK for a csid outside 2..65599.
 */
export function writeBasicHeader(buf: Buffer, offset: number, fmt: ChunkFmt, csid: number): number {
  assertCsid(csid);
  if (csid < 64) {
    buf[offset] = (fmt << 6) | csid;
    return offset + 1;
  }
  const rel = csid - 64;
  if (csid < 320) {
    buf[offset] = fmt << 6;
    buf[offset + 1] = rel;
    return offset + 2;
  }
  buf[offset] = (fmt << 6) | 1;
  buf[offset + 1] = rel & 0xff;
  buf[offset + 2] = rel >>> 8;
  return offset + 3;
}

/** Throws ERR_RTMP_BAD_CHUNK unless `csid` is an integer in 2..65599 (spec 5.3.1.1). */
export function assertCsid(csid: number): void {
  if (!Number.isInteger(csid) || csid < MIN_CSID || csid > MAX_CSID) {
    throw new IngestError(
      'ERR_RTMP_BAD_CHUNK',
      `chunk stream id ${csid} is outside the range ${MIN_CSID}..${MAX_CSID}`,
    );
  }
}

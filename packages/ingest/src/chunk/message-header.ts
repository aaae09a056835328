import type { ChunkFmt } from './basic-header.js';

/**
 * Chunk message header (Adobe RTMP specification 1.0, section 5.3.1.2), big-endian except the
 * stream id:
 * - type 0 (11 bytes): timestamp(3) length(3) typeId(1) streamId(4, little-endian)
 * - type 1 (7 bytes):  timestamp delta(3) length(3) typeId(1)
 * - type 2 (3 bytes):  timestamp delta(3)
 * - type 3 (0 bytes)
 * followed by a 4-byte extended timestamp when the 3-byte field is 0xFFFFFF (spec 5.3.1.3).
 */

/** Message header size for each fmt (spec 5.3.1.2). */
export const MESSAGE_HEADER_SIZE: readonly [11, 7, 3, 0] = [11, 7, 3, 0];

/** The 3-byte timestamp value that announces a 4-byte extended timestamp (spec 5.3.1.3). */
export const EXTENDED_TIMESTAMP_MARKER = 0xffffff;

/** Size of the extended timestamp field (spec 5.3.1.3). */
export const EXTENDED_TIMESTAMP_SIZE = 4;

/** Fields of a message header; which ones a header sets depends on its fmt (spec 5.3.1.2). */
export interface MessageHeaderFields {
  /** The 3-byte timestamp (type 0) or timestamp delta (type 1, 2) field; 0xFFFFFF means extended. */
  timestampField: number;
  /** Payload length, 24-bit (type 0, 1). */
  length: number;
  /** Message type id (type 0, 1). */
  typeId: number;
  /** Message stream id, 32-bit little-endian (type 0). */
  streamId: number;
}

/**
 * Reads the message header of `fmt` at `offset` into `out` (spec 5.3.1.2); sets only the fields
 * that fmt carries. The caller checks that MESSAGE_HEADER_SIZE[fmt] bytes are available.
 */
export function readMessageHeader(buf: Buffer, offset: number, fmt: ChunkFmt, out: MessageHeaderFields): void {
  if (fmt === 3) return;
  out.timestampField = buf.readUIntBE(offset, 3);
  if (fmt === 2) return;
  out.length = buf.readUIntBE(offset + 3, 3);
  out.typeId = buf[offset + 6]!;
  if (fmt === 1) return;
  out.streamId = buf.readUInt32LE(offset + 7);
}

/**
 * Writes a message header of `fmt` at `offset` (spec 5.3.1.2); `timestamp` is the full 32-bit
 * timestamp or delta, written as 0xFFFFFF when it needs the extended field (which the caller
 * writes with writeExtendedTimestamp). Returns the offset after the header.
 */
export function writeMessageHeader(
  buf: Buffer,
  offset: number,
  fmt: ChunkFmt,
  timestamp: number,
  length: number,
  typeId: number,
  streamId: number,
): number {
  if (fmt === 3) return offset;
  buf.writeUIntBE(hasExtendedTimestamp(timestamp) ? EXTENDED_TIMESTAMP_MARKER : timestamp, offset, 3);
  if (fmt === 2) return offset + 3;
  buf.writeUIntBE(length, offset + 3, 3);
  buf[offset + 6] = typeId;
  if (fmt === 1) return offset + 7;
  buf.writeUInt32LE(streamId >>> 0, offset + 7);
  return offset + 11;
}

/** True when a timestamp or delta does not fit the 3-byte field and goes in the extended field (spec 5.3.1.3). */
export function hasExtendedTimestamp(timestamp: number): boolean {
  return timestamp >= EXTENDED_TIMESTAMP_MARKER;
}

/** Reads the 4-byte extended timestamp at `offset` (spec 5.3.1.3). */
export function readExtendedTimestamp(buf: Buffer, offset: number): number {
  return buf.readUInt32BE(offset);
}

/** Writes the 4-byte extended timestamp at `offset` (spec 5.3.1.3); returns the offset after it. */
export function writeExtendedTimestamp(buf: Buffer, offset: number, timestamp: number): number {
  buf.writeUInt32BE(timestamp >>> 0, offset);
  return offset + 4;
}

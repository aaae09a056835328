import { RemuxError } from '../errors.js';

/** FLV TagType: 8 audio, 9 video, 18 script data (FLV 10.1 E.4.1). */
export const FlvTagType = { Audio: 8, Video: 9, Script: 18 } as const;

/** One of the FLV TagType values (FLV 10.1 E.4.1). */
export type FlvTagTypeValue = (typeof FlvTagType)[keyof typeof FlvTagType];

/** Size of the FLV tag header: TagType, DataSize UI24, Timestamp UI24, TimestampExtended UI8, StreamID UI24 (E.4.1). */
export const FLV_TAG_HEADER_SIZE = 11;

/** Size of the PreviousTagSize UI32 that follows every tag (FLV 10.1 E.3). */
export const PREVIOUS_TAG_SIZE_SIZE = 4;

/** Largest tag body the 24-bit DataSize can describe (FLV 10.1 E.4.1). */
export const MAX_TAG_DATA_SIZE = 0xffffff;

/**
 * Writes the 11-byte tag header at `offset` (FLV 10.1 E.4.1). `timestamp` is ms taken modulo 2^32:
 * the lower 24 bits go to Timestamp, the upper 8 to TimestampExtended. StreamID is always 0.
 * Throws RemuxError ERR_REMUX_FLV when `dataSize` exceeds the 24-bit DataSize.
 */
export function writeTagHeader(target: Buffer, offset: number, type: FlvTagTypeValue, timestamp: number, dataSize: number): void {
  if (!Number.isInteger(dataSize) || dataSize < 0 || dataSize > MAX_TAG_DATA_SIZE) {
    throw new RemuxError('ERR_REMUX_FLV', `FLV tag DataSize ${dataSize} exceeds the 24-bit limit ${MAX_TAG_DATA_SIZE}`);
  }
  const ts = Math.floor(timestamp) >>> 0; // ToUint32: modulo 2^32
  target[offset] = type;
  target.writeUIntBE(dataSize, offset + 1, 3);
  target.writeUIntBE(ts & 0xffffff, offset + 4, 3);
  target[offset + 7] = ts >>> 24;
  target.writeUIntBE(0, offset + 8, 3);
}

/**
 * One FLV tag as three chunks for `socket.writev` / cork: `[header11, body, previousTagSize4]`
 * (FLV 10.1 E.3, E.4.1).
 *
 * Fan-out design: the body is the shared bus Buffer and is never copied. Only the 15 bytes that
 * depend on the viewer (its rebased timestamp) are new, and header and PreviousTagSize come from
 * one 15-byte allocation (Node's pooled allocUnsafe). A single per-stream Buffer for all viewers
 * would need every viewer to share one timestamp base, which per-viewer rebasing to 0 rules out.
 */
export function encodeTag(type: FlvTagTypeValue, timestamp: number, body: Buffer): [Buffer, Buffer, Buffer] {
  const frame = Buffer.allocUnsafe(FLV_TAG_HEADER_SIZE + PREVIOUS_TAG_SIZE_SIZE);
  writeTagHeader(frame, 0, type, timestamp, body.length);
  frame.writeUInt32BE(FLV_TAG_HEADER_SIZE + body.length, FLV_TAG_HEADER_SIZE);
  return [frame.subarray(0, FLV_TAG_HEADER_SIZE), body, frame.subarray(FLV_TAG_HEADER_SIZE)];
}

import { IngestError } from '../errors.js';
import { need } from './need.js';

/** VideoPacketModExType / AudioPacketModExType (E-RTMP v2 "Enhanced Video"/"Enhanced Audio"). */
export const PacketModExType = { TimestampOffsetNano: 0 } as const;

/** PacketType value that announces a ModEx block, shared by video and audio (E-RTMP v2: ModEx = 7). */
export const MOD_EX_PACKET_TYPE = 7;

/** Largest TimestampOffsetNano the spec allows: 999,999 ns (E-RTMP v2, "modExData must be at least 3 bytes"). */
export const MAX_TIMESTAMP_OFFSET_NANO = 999_999;

/** What a chain of ModEx blocks resolved to (E-RTMP v2 ModEx loop). */
export interface ModExResult {
  /** The real packet type that follows the last ModEx block. */
  readonly packetType: number;
  /** Offset just after the last ModEx block. */
  readonly offset: number;
  /** TimestampOffsetNano (UI24 ns) if a ModEx block carried one. */
  readonly timestampOffsetNano: number | undefined;
}

/**
 * Walks ModEx blocks while `packetType` is ModEx (E-RTMP v2 pseudocode "Process each ModEx data packet"):
 * size = UI8 + 1 (UI16 + 1 when that is 256), data, then UB[4] ModExType + UB[4] next PacketType.
 */
export function readModEx(body: Buffer, offset: number, packetType: number): ModExResult {
  let type = packetType;
  let off = offset;
  let nano: number | undefined;
  while (type === MOD_EX_PACKET_TYPE) {
    need(body, off + 1, 'ModEx data size');
    let size = body[off]! + 1;
    off += 1;
    if (size === 256) {
      need(body, off + 2, 'ModEx 16-bit data size');
      size = body.readUInt16BE(off) + 1;
      off += 2;
    }
    need(body, off + size + 1, 'ModEx data and next packet type');
    const modExType = body[off + size]! >> 4;
    if (modExType === PacketModExType.TimestampOffsetNano && size >= 3) {
      nano = body.readUIntBE(off, 3);
    }
    off += size;
    type = body[off]! & 0x0f;
    off += 1;
  }
  return { packetType: type, offset: off, timestampOffsetNano: nano };
}

/** Bytes a TimestampOffsetNano ModEx block takes: size byte, 3 data bytes, type/next byte (E-RTMP v2). */
export const TIMESTAMP_OFFSET_NANO_SIZE = 5;

/** Writes one TimestampOffsetNano ModEx block followed by `nextPacketType` (E-RTMP v2 ModEx); returns the new offset. */
export function writeTimestampOffsetNano(target: Buffer, offset: number, nano: number, nextPacketType: number): number {
  if (!Number.isInteger(nano) || nano < 0 || nano > MAX_TIMESTAMP_OFFSET_NANO) {
    throw new IngestError('ERR_FLV_BAD_TAG', `TimestampOffsetNano ${nano} out of range 0..${MAX_TIMESTAMP_OFFSET_NANO}`);
  }
  target[offset] = 3 - 1;
  target.writeUIntBE(nano, offset + 1, 3);
  target[offset + 4] = (PacketModExType.TimestampOffsetNano << 4) | (nextPacketType & 0x0f);
  return offset + TIMESTAMP_OFFSET_NANO_SIZE;
}

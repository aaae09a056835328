import { writePesTimestamp } from './timestamp.js';

/** Largest PES_packet_length (16 bits); above it only video may use 0 = unbounded (2.4.3.7). */
export const MAX_PES_PACKET_LENGTH = 0xffff;

/** Size of a PES header with PTS (14 bytes) or PTS+DTS (19 bytes). */
export function pesHeaderSize(hasDts: boolean): number {
  return hasDts ? 19 : 14;
}

/**
 * Writes a PES packet header (ISO/IEC 13818-1 2.4.3.6/2.4.3.7): start code prefix, stream_id,
 * PES_packet_length (0 = unbounded), '10' flags with data_alignment_indicator, PTS and optional DTS.
 */
export function writePesHeader(buf: Uint8Array, off: number, streamId: number, pesPacketLength: number, pts: number, dts: number | undefined): void {
  buf[off] = 0;
  buf[off + 1] = 0;
  buf[off + 2] = 1;
  buf[off + 3] = streamId;
  buf[off + 4] = pesPacketLength >> 8;
  buf[off + 5] = pesPacketLength & 0xff;
  buf[off + 6] = 0x84; // '10', scrambling 00, priority 0, data_alignment_indicator 1, copyright 0, original 0
  if (dts === undefined) {
    buf[off + 7] = 0x80; // PTS_DTS_flags '10'
    buf[off + 8] = 5;
    writePesTimestamp(buf, off + 9, 0x2, pts);
  } else {
    buf[off + 7] = 0xc0; // PTS_DTS_flags '11'
    buf[off + 8] = 10;
    writePesTimestamp(buf, off + 9, 0x3, pts);
    writePesTimestamp(buf, off + 14, 0x1, dts);
  }
}

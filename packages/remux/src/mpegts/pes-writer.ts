import type { ByteChunks } from '../codec/byte-chunks.js';
import type { ContinuityCounters } from './continuity.js';
import type { PacketSink } from './packet-sink.js';
import { TS_PAYLOAD_SIZE, TS_SYNC_BYTE } from './constants.js';
import { MAX_PES_PACKET_LENGTH, pesHeaderSize, writePesHeader } from './pes-header.js';
import { RemuxError } from '../errors.js';
import { writePcr } from './timestamp.js';

/** How one PES packet goes out. Timestamps are 90 kHz, already wrapped to 33 bits. */
export interface PesWriteOptions {
  readonly pid: number;
  readonly streamId: number;
  readonly pts: number;
  /** Written only when it differs from `pts`. */
  readonly dts: number | undefined;
  /** PCR base for the adaptation field of the first packet. */
  readonly pcr: number | undefined;
  /** random_access_indicator on the first packet (2.4.3.5): a keyframe, or any audio PES. */
  readonly randomAccess: boolean;
  /** discontinuity_indicator on the first packet (2.4.3.5). */
  readonly discontinuity: boolean;
  /** Write the real PES_packet_length (must fit 16 bits); false writes 0 = unbounded, allowed for video only. */
  readonly bounded: boolean;
}

/**
 * Splits one PES packet over TS packets (2.4.3.2): the first carries payload_unit_start and the
 * optional PCR/flags adaptation field; the last is padded with adaptation-field stuffing.
 */
export function writePes(sink: PacketSink, counters: ContinuityCounters, o: PesWriteOptions, payload: ByteChunks): void {
  const dts = o.dts !== undefined && o.dts !== o.pts ? o.dts : undefined;
  const headerSize = pesHeaderSize(dts !== undefined);
  let remaining = headerSize + payload.size;
  // PES_packet_length counts the bytes after itself (2.4.3.7)
  const pesPacketLength = o.bounded ? remaining - 6 : 0;
  if (pesPacketLength > MAX_PES_PACKET_LENGTH) {
    throw new RemuxError('ERR_REMUX_FRAME_TOO_LARGE', `PES_packet_length ${pesPacketLength} exceeds the limit ${MAX_PES_PACKET_LENGTH}`);
  }
  let partIndex = 0;
  let partOffset = 0;
  let first = true;
  while (remaining > 0) {
    const off = sink.alloc();
    const buf = sink.buffer;
    const withPcr = first && o.pcr !== undefined;
    let afSize = first && (withPcr || o.randomAccess || o.discontinuity) ? (withPcr ? 8 : 2) : 0;
    let payloadSize = TS_PAYLOAD_SIZE - afSize;
    if (remaining < payloadSize) {
      afSize += payloadSize - remaining;
      payloadSize = remaining;
    }
    buf[off] = TS_SYNC_BYTE;
    buf[off + 1] = (first ? 0x40 : 0) | (o.pid >> 8);
    buf[off + 2] = o.pid & 0xff;
    buf[off + 3] = (afSize > 0 ? 0x30 : 0x10) | counters.take(o.pid);
    let p = off + 4;
    if (afSize > 0) {
      buf[p] = afSize - 1; // adaptation_field_length
      if (afSize > 1) {
        buf[p + 1] = (first && o.discontinuity ? 0x80 : 0) | (first && o.randomAccess ? 0x40 : 0) | (withPcr ? 0x10 : 0);
        let q = p + 2;
        if (withPcr) {
          writePcr(buf, q, o.pcr as number);
          q += 6;
        }
        buf.fill(0xff, q, p + afSize);
      }
      p += afSize;
    }
    let n = payloadSize;
    if (first) {
      writePesHeader(buf, p, o.streamId, pesPacketLength, o.pts, dts);
      p += headerSize;
      n -= headerSize;
    }
    while (n > 0) {
      const part = payload.parts[partIndex] as Uint8Array;
      const take = Math.min(n, part.length - partOffset);
      buf.set(take === part.length ? part : part.subarray(partOffset, partOffset + take), p);
      p += take;
      n -= take;
      partOffset += take;
      if (partOffset === part.length) {
        partIndex++;
        partOffset = 0;
      }
    }
    remaining -= payloadSize;
    first = false;
  }
}

import type { ContinuityCounters } from './continuity.js';
import type { PacketSink } from './packet-sink.js';
import { TS_PACKET_SIZE, TS_SYNC_BYTE } from './constants.js';

/** Writes a PSI section that fits one packet: header with payload_unit_start, pointer_field 0, section, 0xFF stuffing (2.4.4.1). */
export function writeSectionPacket(sink: PacketSink, counters: ContinuityCounters, pid: number, section: Uint8Array): void {
  const off = sink.alloc();
  const buf = sink.buffer;
  buf[off] = TS_SYNC_BYTE;
  buf[off + 1] = 0x40 | (pid >> 8);
  buf[off + 2] = pid & 0xff;
  buf[off + 3] = 0x10 | counters.take(pid); // payload only
  buf[off + 4] = 0; // pointer_field
  buf.set(section, off + 5);
  buf.fill(0xff, off + 5 + section.length, off + TS_PACKET_SIZE);
}

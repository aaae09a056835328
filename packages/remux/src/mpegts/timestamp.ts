import { TICKS_PER_MS, TIMESTAMP_OFFSET_MS, TIMESTAMP_WRAP } from './constants.js';

/** A ms timestamp to a 33-bit 90 kHz PTS/DTS (2.4.3.7), shifted by TIMESTAMP_OFFSET_MS and wrapped. */
export function msToPts90(ms: number): number {
  const t = Math.round((ms + TIMESTAMP_OFFSET_MS) * TICKS_PER_MS) % TIMESTAMP_WRAP;
  return t < 0 ? t + TIMESTAMP_WRAP : t;
}

/** Writes a 5-byte PTS or DTS field with its 4-bit prefix ('0010' PTS only, '0011' PTS+DTS, '0001' DTS). */
export function writePesTimestamp(buf: Uint8Array, off: number, prefix: number, ts: number): void {
  const hi = Math.floor(ts / 2 ** 30) & 0x07; // bits 32..30
  const lo = ts % 2 ** 30; // bits 29..0
  buf[off] = (prefix << 4) | (hi << 1) | 1;
  buf[off + 1] = (lo >>> 22) & 0xff;
  buf[off + 2] = (((lo >>> 15) & 0x7f) << 1) | 1;
  buf[off + 3] = (lo >>> 7) & 0xff;
  buf[off + 4] = ((lo & 0x7f) << 1) | 1;
}

/** Writes a 6-byte program_clock_reference (2.4.3.5): 33-bit base in 90 kHz, 6 reserved bits, 9-bit extension 0. */
export function writePcr(buf: Uint8Array, off: number, base: number): void {
  const hi = Math.floor(base / 2); // bits 32..1
  buf[off] = (hi >>> 24) & 0xff;
  buf[off + 1] = (hi >>> 16) & 0xff;
  buf[off + 2] = (hi >>> 8) & 0xff;
  buf[off + 3] = hi & 0xff;
  buf[off + 4] = ((base % 2) << 7) | 0x7e; // reserved '111111', extension bit 8 = 0
  buf[off + 5] = 0; // extension bits 7..0
}

import { crc32Mpeg2 } from './crc32.js';

/** One elementary stream entry of a PMT. */
export interface PmtStream {
  readonly streamType: number;
  readonly pid: number;
}

/** TS_program_map_section without descriptors (ISO/IEC 13818-1 2.4.4.8), CRC included. */
export function encodePmtSection(programNumber: number, pcrPid: number, streams: readonly PmtStream[]): Buffer {
  const sectionLength = 9 + 5 * streams.length + 4;
  const b = Buffer.alloc(3 + sectionLength);
  b[0] = 0x02; // table_id
  b.writeUInt16BE(0xb000 | sectionLength, 1);
  b.writeUInt16BE(programNumber, 3);
  b[5] = 0xc1; // reserved, version_number 0, current_next_indicator 1
  b[6] = 0;
  b[7] = 0;
  b.writeUInt16BE(0xe000 | pcrPid, 8); // reserved '111', PCR_PID
  b.writeUInt16BE(0xf000, 10); // reserved '1111', program_info_length 0
  let p = 12;
  for (const s of streams) {
    b[p] = s.streamType;
    b.writeUInt16BE(0xe000 | s.pid, p + 1);
    b.writeUInt16BE(0xf000, p + 3); // ES_info_length 0
    p += 5;
  }
  b.writeUInt32BE(crc32Mpeg2(b, 0, p), p);
  return b;
}

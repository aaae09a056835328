import { crc32Mpeg2 } from './crc32.js';

/** program_association_section with one program (ISO/IEC 13818-1 2.4.4.3), CRC included. */
export function encodePatSection(transportStreamId: number, programNumber: number, pmtPid: number): Buffer {
  const b = Buffer.alloc(16);
  b[0] = 0x00; // table_id
  b.writeUInt16BE(0xb000 | 13, 1); // section_syntax_indicator 1, '0', reserved '11', section_length 13
  b.writeUInt16BE(transportStreamId, 3);
  b[5] = 0xc1; // reserved '11', version_number 0, current_next_indicator 1
  b[6] = 0; // section_number
  b[7] = 0; // last_section_number
  b.writeUInt16BE(programNumber, 8);
  b.writeUInt16BE(0xe000 | pmtPid, 10); // reserved '111', program_map_PID
  b.writeUInt32BE(crc32Mpeg2(b, 0, 12), 12);
  return b;
}

import { RemuxError } from '../errors.js';
import type { AudioSpecificConfig } from './aac-config.js';

/** ADTS fixed + variable header size without CRC (ISO/IEC 14496-3 1.A.2.2). */
export const ADTS_HEADER_SIZE = 7;
/** aac_frame_length is 13 bits and includes the header. */
export const ADTS_MAX_FRAME_SIZE = 0x1fff;

/** The ADTS fields derived once from an AudioSpecificConfig. */
export interface AdtsParams {
  /** profile_ObjectType = core audioObjectType - 1 (0..3). */
  readonly profile: number;
  readonly sampleRateIndex: number;
  readonly channelConfig: number;
}

/**
 * ADTS parameters for an AudioSpecificConfig: HE-AAC/v2 uses its core object type and core rate
 * (implicit SBR signalling); only object types 1..4 and tabled rates fit in ADTS.
 */
export function adtsParams(asc: AudioSpecificConfig): AdtsParams {
  const ot = asc.coreObjectType;
  if (ot < 1 || ot > 4) {
    throw new RemuxError('ERR_REMUX_AAC_UNSUPPORTED', `audioObjectType ${ot} does not fit ADTS (profile_ObjectType allows 1..4)`);
  }
  if (asc.sampleRateIndex === undefined) {
    throw new RemuxError('ERR_REMUX_AAC_UNSUPPORTED', `sampling frequency ${asc.sampleRate} Hz has no ADTS index`);
  }
  if (asc.channelConfig > 7) {
    throw new RemuxError('ERR_REMUX_AAC_UNSUPPORTED', `channelConfiguration ${asc.channelConfig} exceeds the ADTS limit 7`);
  }
  return { profile: ot - 1, sampleRateIndex: asc.sampleRateIndex, channelConfig: asc.channelConfig };
}

/** Writes the 7-byte ADTS header (MPEG-4, no CRC, one raw data block) for a raw frame of `rawLength` bytes. */
export function writeAdtsHeader(out: Uint8Array, offset: number, p: AdtsParams, rawLength: number): void {
  const len = rawLength + ADTS_HEADER_SIZE;
  if (len > ADTS_MAX_FRAME_SIZE) {
    throw new RemuxError('ERR_REMUX_FRAME_TOO_LARGE', `AAC frame of ${rawLength} bytes exceeds the ADTS limit ${ADTS_MAX_FRAME_SIZE - ADTS_HEADER_SIZE}`);
  }
  out[offset] = 0xff; // syncword
  out[offset + 1] = 0xf1; // syncword, ID 0 (MPEG-4), layer 0, protection_absent 1
  out[offset + 2] = (p.profile << 6) | (p.sampleRateIndex << 2) | (p.channelConfig >> 2);
  out[offset + 3] = ((p.channelConfig & 3) << 6) | (len >> 11);
  out[offset + 4] = (len >> 3) & 0xff;
  out[offset + 5] = ((len & 7) << 5) | 0x1f; // buffer fullness 0x7FF (VBR)
  out[offset + 6] = 0xfc; // buffer fullness, number_of_raw_data_blocks_in_frame 0
}

/** A new 7-byte ADTS header for a raw frame of `rawLength` bytes. */
export function buildAdtsHeader(p: AdtsParams, rawLength: number): Buffer {
  const b = Buffer.allocUnsafe(ADTS_HEADER_SIZE);
  writeAdtsHeader(b, 0, p, rawLength);
  return b;
}

import { RemuxError } from '../errors.js';

/** HEVC NAL unit types of the parameter sets (ITU-T H.265 Table 7-1). */
export const HEVC_NAL_VPS = 32;
export const HEVC_NAL_SPS = 33;
export const HEVC_NAL_PPS = 34;

/** HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1); NAL units are subarrays of the input. */
export interface HevcDecoderConfig {
  readonly profileSpace: number;
  readonly tierFlag: number;
  readonly profileIdc: number;
  /** general_profile_compatibility_flags, flag 0 in the most significant bit. */
  readonly profileCompatibility: number;
  /** The 6 bytes of general constraint indicator flags (a subarray of the input). */
  readonly constraintFlags: Uint8Array;
  readonly levelIdc: number;
  readonly chromaFormatIdc: number;
  /** NALUnitLength size in bytes (lengthSizeMinusOne + 1). */
  readonly lengthSize: number;
  readonly vps: readonly Uint8Array[];
  readonly sps: readonly Uint8Array[];
  readonly pps: readonly Uint8Array[];
}

/** Size of the fixed part before numOfArrays (8.3.3.1.1). */
const FIXED_SIZE = 22;

function fail(msg: string): never {
  throw new RemuxError('ERR_REMUX_HEVC_CONFIG', `HEVCDecoderConfigurationRecord: ${msg}`);
}

/** Parses an HEVCDecoderConfigurationRecord (14496-15 8.3.3.1.2); arrays of other NAL types are skipped. */
export function parseHevcDecoderConfig(data: Uint8Array): HevcDecoderConfig {
  if (data.length < FIXED_SIZE + 1) fail(`length ${data.length} is below the minimum ${FIXED_SIZE + 1}`);
  if (data[0] !== 1) fail(`configurationVersion ${data[0]} is not 1`);
  const b1 = data[1] as number;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const lengthSize = ((data[21] as number) & 0x03) + 1;
  if (lengthSize === 3) fail('lengthSizeMinusOne 2 is not allowed');
  const vps: Uint8Array[] = [];
  const sps: Uint8Array[] = [];
  const pps: Uint8Array[] = [];
  const numArrays = data[FIXED_SIZE] as number;
  let p = FIXED_SIZE + 1;
  for (let a = 0; a < numArrays; a++) {
    if (p + 3 > data.length) fail(`array ${a} header past end (${data.length} bytes)`);
    const type = (data[p] as number) & 0x3f;
    const count = view.getUint16(p + 1);
    p += 3;
    const list = type === HEVC_NAL_VPS ? vps : type === HEVC_NAL_SPS ? sps : type === HEVC_NAL_PPS ? pps : undefined;
    for (let i = 0; i < count; i++) {
      if (p + 2 > data.length) fail(`array ${a} NAL ${i} length field past end`);
      const len = view.getUint16(p);
      p += 2;
      if (p + len > data.length) fail(`array ${a} NAL ${i} length ${len} exceeds the ${data.length - p} bytes left`);
      if (len > 0) list?.push(data.subarray(p, p + len));
      p += len;
    }
  }
  return {
    profileSpace: b1 >> 6,
    tierFlag: (b1 >> 5) & 1,
    profileIdc: b1 & 0x1f,
    profileCompatibility: view.getUint32(2),
    constraintFlags: data.subarray(6, 12),
    levelIdc: data[12] as number,
    chromaFormatIdc: (data[16] as number) & 0x03,
    lengthSize,
    vps,
    sps,
    pps,
  };
}

function reverseBits32(v: number): number {
  let r = 0;
  for (let i = 0; i < 32; i++) r = r * 2 + ((v >>> i) & 1);
  return r;
}

/**
 * Codec string `hvc1.<space><profile>.<compat>.<tier><level>[.<constraint bytes>]`
 * (ISO/IEC 14496-15 Annex E.3): compat flags bit-reversed in hex, trailing zero constraint bytes dropped.
 */
export function hevcCodecString(c: Pick<HevcDecoderConfig, 'profileSpace' | 'tierFlag' | 'profileIdc' | 'profileCompatibility' | 'constraintFlags' | 'levelIdc'>): string {
  const space = ['', 'A', 'B', 'C'][c.profileSpace] ?? '';
  const compat = reverseBits32(c.profileCompatibility).toString(16).toUpperCase();
  let parts = `hvc1.${space}${c.profileIdc}.${compat}.${c.tierFlag ? 'H' : 'L'}${c.levelIdc}`;
  let last = c.constraintFlags.length;
  while (last > 0 && c.constraintFlags[last - 1] === 0) last--;
  for (let i = 0; i < last; i++) parts += `.${(c.constraintFlags[i] as number).toString(16).toUpperCase()}`;
  return parts;
}

import { RemuxError } from '../errors.js';

/** Upper bound on parameter sets in one record (the field is 5 bits for SPS; PPS is 8 bits). */
export const MAX_PARAMETER_SETS = 64;

/** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1); NAL units are subarrays of the input. */
export interface AvcDecoderConfig {
  readonly profile: number;
  readonly profileCompatibility: number;
  readonly level: number;
  /** NALUnitLength size in bytes (lengthSizeMinusOne + 1). */
  readonly lengthSize: number;
  readonly sps: readonly Uint8Array[];
  readonly pps: readonly Uint8Array[];
}

function fail(msg: string): never {
  throw new RemuxError('ERR_REMUX_AVC_CONFIG', `AVCDecoderConfigurationRecord: ${msg}`);
}

/** Parses an AVCDecoderConfigurationRecord (14496-15 5.3.3.1.2); trailing high-profile extension bytes are ignored. */
export function parseAvcDecoderConfig(data: Uint8Array): AvcDecoderConfig {
  if (data.length < 7) fail(`length ${data.length} is below the minimum 7`);
  if (data[0] !== 1) fail(`configurationVersion ${data[0]} is not 1`);
  const profile = data[1] as number;
  const profileCompatibility = data[2] as number;
  const level = data[3] as number;
  const lengthSize = ((data[4] as number) & 0x03) + 1;
  if (lengthSize === 3) fail('lengthSizeMinusOne 2 is not allowed');
  let p = 5;
  const readList = (count: number, what: string): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      if (p + 2 > data.length) fail(`${what} ${i} length field past end (${data.length} bytes)`);
      const len = ((data[p] as number) << 8) | (data[p + 1] as number);
      p += 2;
      if (len === 0) fail(`${what} ${i} is empty`);
      if (p + len > data.length) fail(`${what} ${i} length ${len} exceeds the ${data.length - p} bytes left`);
      out.push(data.subarray(p, p + len));
      p += len;
    }
    return out;
  };
  const numSps = (data[5] as number) & 0x1f;
  p = 6;
  const sps = readList(numSps, 'SPS');
  if (p >= data.length) fail('numOfPictureParameterSets past end');
  const numPps = data[p] as number;
  p++;
  if (numPps > MAX_PARAMETER_SETS) fail(`PPS count ${numPps} exceeds the limit ${MAX_PARAMETER_SETS}`);
  const pps = readList(numPps, 'PPS');
  return { profile, profileCompatibility, level, lengthSize, sps, pps };
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** RFC 6381 3.3 codec string `avc1.PPCCLL` (profile_idc, constraint flags, level_idc in hex). */
export function avcCodecString(profile: number, profileCompatibility: number, level: number): string {
  return `avc1.${hex2(profile)}${hex2(profileCompatibility)}${hex2(level)}`;
}

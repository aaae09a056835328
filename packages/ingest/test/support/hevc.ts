/**
 * HEVC Annex B tooling for the Enhanced RTMP tests (test support, not product code): NAL unit
 * splitting (H.265 B.2), access units (7.4.2.4.4), and the HEVCDecoderConfigurationRecord
 * (ISO/IEC 14496-15 8.3.3.1) built from the VPS/SPS/PPS.
 */
import { BitReader } from './bit-reader.js';

/** NAL unit types used here (H.265 Table 7-1). */
export const HevcNal = { VPS: 32, SPS: 33, PPS: 34, AUD: 35, EOS: 36, EOB: 37, FD: 38, PREFIX_SEI: 39, SUFFIX_SEI: 40 } as const;

/** nal_unit_type of a NAL unit (first byte, bits 1-6). */
export function hevcNalType(nal: Buffer): number {
  return (nal[0]! >> 1) & 0x3f;
}

/** VCL NAL units are types 0..31 (H.265 7.4.2.2). */
export function isVcl(nal: Buffer): boolean {
  return hevcNalType(nal) < 32;
}

/** IRAP pictures (BLA, IDR, CRA and reserved IRAP) are types 16..23: random access points. */
export function isIrap(nal: Buffer): boolean {
  const t = hevcNalType(nal);
  return t >= 16 && t <= 23;
}

/** The NAL units of an Annex B byte stream (start codes 00 00 01 / 00 00 00 01 removed), as subarrays. */
export function splitAnnexB(stream: Buffer): Buffer[] {
  const starts: { at: number; len: number }[] = [];
  for (let i = 0; i + 2 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      const four = i > 0 && stream[i - 1] === 0;
      starts.push({ at: four ? i - 1 : i, len: four ? 4 : 3 });
      i += 2;
    }
  }
  const nals: Buffer[] = [];
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]!;
    let end = k + 1 < starts.length ? starts[k + 1]!.at : stream.length;
    while (end > s.at + s.len && stream[end - 1] === 0) end--; // trailing_zero_8bits
    if (end > s.at + s.len) nals.push(stream.subarray(s.at + s.len, end));
  }
  return nals;
}

/**
 * Groups NAL units into access units (H.265 7.4.2.4.4): after a VCL NAL unit of the current picture,
 * an AUD, VPS, SPS, PPS, prefix SEI, types 41..44 or 48..55, or a VCL NAL unit with
 * first_slice_segment_in_pic_flag = 1 starts the next access unit.
 */
export function hevcAccessUnits(nals: readonly Buffer[]): Buffer[][] {
  const aus: Buffer[][] = [];
  let cur: Buffer[] = [];
  let sawVcl = false;
  for (const nal of nals) {
    const t = hevcNalType(nal);
    const firstSlice = t < 32 && (nal[2]! & 0x80) !== 0;
    const startsAu =
      sawVcl &&
      (firstSlice || (t >= HevcNal.VPS && t <= HevcNal.AUD) || t === HevcNal.PREFIX_SEI || (t >= 41 && t <= 44) || (t >= 48 && t <= 55));
    if (startsAu) {
      aus.push(cur);
      cur = [];
      sawVcl = false;
    }
    cur.push(nal);
    if (t < 32) sawVcl = true;
  }
  if (cur.length > 0) aus.push(cur);
  return aus;
}

/** RBSP of a NAL unit: emulation_prevention_three_byte removed (H.265 7.3.1.1). Copies. */
export function toRbsp(nal: Buffer): Buffer {
  const out = Buffer.allocUnsafe(nal.length);
  let n = 0;
  let zeros = 0;
  for (const b of nal) {
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/** What the HEVCDecoderConfigurationRecord takes from the SPS (H.265 7.3.2.2). */
export interface HevcSpsInfo {
  /** general_profile_space .. general_level_idc: the 12 bytes of profile_tier_level's general part (7.3.3). */
  generalPtl: Buffer;
  maxSubLayersMinus1: number;
  temporalIdNesting: boolean;
  chromaFormatIdc: number;
  bitDepthLumaMinus8: number;
  bitDepthChromaMinus8: number;
  width: number;
  height: number;
}

/** Parses the SPS fields the configuration record needs (H.265 7.3.2.2, profile_tier_level 7.3.3). */
export function parseHevcSps(sps: Buffer): HevcSpsInfo {
  const rbsp = toRbsp(sps).subarray(2); // after the 2-byte NAL unit header
  const r = new BitReader(rbsp);
  r.u(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = r.u(3);
  const temporalIdNesting = r.flag();
  const generalPtl = Buffer.from(rbsp.subarray(1, 13)); // byte-aligned: 2+1+5 bits, 32 compat flags, 48 constraint bits, level
  r.skip(96);
  const profilePresent: boolean[] = [];
  const levelPresent: boolean[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    profilePresent.push(r.flag());
    levelPresent.push(r.flag());
  }
  if (maxSubLayersMinus1 > 0) for (let i = maxSubLayersMinus1; i < 8; i++) r.u(2); // reserved_zero_2bits
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (profilePresent[i]) r.skip(88);
    if (levelPresent[i]) r.skip(8);
  }
  r.ue(); // sps_seq_parameter_set_id
  const chromaFormatIdc = r.ue();
  if (chromaFormatIdc === 3) r.u(1); // separate_colour_plane_flag
  const width = r.ue();
  const height = r.ue();
  if (r.flag()) for (let i = 0; i < 4; i++) r.ue(); // conformance window offsets
  const bitDepthLumaMinus8 = r.ue();
  const bitDepthChromaMinus8 = r.ue();
  return { generalPtl, maxSubLayersMinus1, temporalIdNesting, chromaFormatIdc, bitDepthLumaMinus8, bitDepthChromaMinus8, width, height };
}

/**
 * HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1.2) with lengthSizeMinusOne = 3 and
 * complete arrays of the given VPS, SPS and PPS NAL units. Profile, tier, level and flags come from
 * the SPS's profile_tier_level (the VPS carries the same general part); min_spatial_segmentation_idc,
 * parallelismType, avgFrameRate and constantFrameRate are written as 0 (unknown).
 */
export function buildHvcC(vps: Buffer[], sps: Buffer[], pps: Buffer[]): Buffer {
  const first = sps[0];
  if (!first) throw new Error('buildHvcC: no SPS');
  const info = parseHevcSps(first);
  const arrays = [
    [HevcNal.VPS, vps],
    [HevcNal.SPS, sps],
    [HevcNal.PPS, pps],
  ] as const;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(23);
  head[0] = 1; // configurationVersion
  info.generalPtl.copy(head, 1); // bytes 1..12
  head.writeUInt16BE(0xf000, 13); // reserved '1111' + min_spatial_segmentation_idc 0
  head[15] = 0xfc; // reserved '111111' + parallelismType 0
  head[16] = 0xfc | info.chromaFormatIdc;
  head[17] = 0xf8 | info.bitDepthLumaMinus8;
  head[18] = 0xf8 | info.bitDepthChromaMinus8;
  head.writeUInt16BE(0, 19); // avgFrameRate: unspecified
  // constantFrameRate 0 (2 bits), numTemporalLayers (3), temporalIdNested (1), lengthSizeMinusOne 3 (2)
  head[21] = ((info.maxSubLayersMinus1 + 1) << 3) | ((info.temporalIdNesting ? 1 : 0) << 2) | 3;
  head[22] = arrays.length; // numOfArrays
  parts.push(head);
  for (const [type, nals] of arrays) {
    const h = Buffer.alloc(3);
    h[0] = 0x80 | type; // array_completeness 1, reserved 0, NAL_unit_type
    h.writeUInt16BE(nals.length, 1);
    parts.push(h);
    for (const nal of nals) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(nal.length, 0);
      parts.push(len, nal);
    }
  }
  return Buffer.concat(parts);
}

/** NAL units with 4-byte big-endian length prefixes (lengthSizeMinusOne = 3; ISO/IEC 14496-15 4.3.3). */
export function lengthPrefixed(nals: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const nal of nals) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(nal.length, 0);
    parts.push(len, nal);
  }
  return Buffer.concat(parts);
}

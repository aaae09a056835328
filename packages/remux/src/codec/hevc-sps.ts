import { RemuxError } from '../errors.js';
import { BitReader } from './bit-reader.js';
import { nalToRbsp } from './rbsp.js';
import { HEVC_NAL_SPS } from './hevc-config.js';

/** What livegate needs from an H.265 sequence parameter set (ITU-T H.265 7.3.2.2.1). */
export interface HevcSps {
  readonly chromaFormatIdc: number;
  /** Display size after the conformance window. */
  readonly width: number;
  readonly height: number;
}

/** Skips profile_tier_level(1, maxSubLayersMinus1) (H.265 7.3.3). */
function skipProfileTierLevel(r: BitReader, maxSubLayersMinus1: number): void {
  r.skip(96); // general profile space..general_level_idc: 2+1+5+32+48+8 bits
  const profilePresent: number[] = [];
  const levelPresent: number[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    profilePresent.push(r.bit());
    levelPresent.push(r.bit());
  }
  if (maxSubLayersMinus1 > 0) r.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (profilePresent[i]) r.skip(88);
    if (levelPresent[i]) r.skip(8);
  }
}

/** Parses an H.265 SPS NAL unit (2-byte header included) into chroma format and display size. */
export function parseHevcSps(nal: Uint8Array): HevcSps {
  const type = ((nal[0] ?? 0) >> 1) & 0x3f;
  if (nal.length < 3 || type !== HEVC_NAL_SPS) {
    throw new RemuxError('ERR_REMUX_HEVC_SPS', `not an SPS NAL unit (length ${nal.length}, type ${type}, expected ${HEVC_NAL_SPS})`);
  }
  const r = new BitReader(nalToRbsp(nal.subarray(2)));
  r.skip(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = r.bits(3);
  if (maxSubLayersMinus1 > 6) throw new RemuxError('ERR_REMUX_HEVC_SPS', `sps_max_sub_layers_minus1 ${maxSubLayersMinus1} exceeds 6`);
  r.skip(1); // sps_temporal_id_nesting_flag
  skipProfileTierLevel(r, maxSubLayersMinus1);
  r.ue(); // sps_seq_parameter_set_id
  const chromaFormatIdc = r.ue();
  if (chromaFormatIdc > 3) throw new RemuxError('ERR_REMUX_HEVC_SPS', `chroma_format_idc ${chromaFormatIdc} exceeds 3`);
  let separateColourPlane = 0;
  if (chromaFormatIdc === 3) separateColourPlane = r.bit();
  let width = r.ue();
  let height = r.ue();
  if (r.bit()) {
    // conformance window offsets are in chroma units (7.4.3.2.1, Table 6-1)
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
    const subHeightC = chromaArrayType === 1 ? 2 : 1;
    const left = r.ue();
    const right = r.ue();
    const top = r.ue();
    const bottom = r.ue();
    width -= subWidthC * (left + right);
    height -= subHeightC * (top + bottom);
  }
  if (width <= 0 || height <= 0) throw new RemuxError('ERR_REMUX_HEVC_SPS', `conformance window leaves a ${width}x${height} picture`);
  return { chromaFormatIdc, width, height };
}

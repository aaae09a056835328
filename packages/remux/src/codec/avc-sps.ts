import { RemuxError } from '../errors.js';
import { BitReader } from './bit-reader.js';
import { nalToRbsp } from './rbsp.js';

/** What livegate needs from an H.264 sequence parameter set (ISO/IEC 14496-10 7.3.2.1.1). */
export interface AvcSps {
  readonly profile: number;
  readonly constraintFlags: number;
  readonly level: number;
  readonly chromaFormatIdc: number;
  /** Display size after frame cropping. */
  readonly width: number;
  readonly height: number;
  /** time_scale / (2 * num_units_in_tick) when VUI timing info is present (E.2.1), else undefined. */
  readonly fps: number | undefined;
}

/** profile_idc values whose SPS carries chroma_format_idc and bit depths (7.3.2.1.1). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) {
      next = (last + r.se() + 256) % 256;
    }
    last = next === 0 ? last : next;
  }
}

/** Parses an H.264 SPS NAL unit (header byte included) into size, profile, level and frame rate. */
export function parseAvcSps(nal: Uint8Array): AvcSps {
  if (nal.length < 4 || ((nal[0] as number) & 0x1f) !== 7) {
    throw new RemuxError('ERR_REMUX_AVC_SPS', `not an SPS NAL unit (length ${nal.length}, type ${(nal[0] ?? 0) & 0x1f}, expected 7)`);
  }
  const r = new BitReader(nalToRbsp(nal.subarray(1)));
  const profile = r.bits(8);
  const constraintFlags = r.bits(8);
  const level = r.bits(8);
  r.ue(); // seq_parameter_set_id
  let chromaFormatIdc = 1;
  let separateColourPlane = 0;
  if (HIGH_PROFILES.has(profile)) {
    chromaFormatIdc = r.ue();
    if (chromaFormatIdc > 3) throw new RemuxError('ERR_REMUX_AVC_SPS', `chroma_format_idc ${chromaFormatIdc} exceeds 3`);
    if (chromaFormatIdc === 3) separateColourPlane = r.bit();
    r.ue(); // bit_depth_luma_minus8
    r.ue(); // bit_depth_chroma_minus8
    r.bit(); // qpprime_y_zero_transform_bypass_flag
    if (r.bit()) {
      const lists = chromaFormatIdc === 3 ? 12 : 8;
      for (let i = 0; i < lists; i++) if (r.bit()) skipScalingList(r, i < 6 ? 16 : 64);
    }
  }
  r.ue(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (pocType === 0) {
    r.ue(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (pocType === 1) {
    r.bit(); // delta_pic_order_always_zero_flag
    r.se(); // offset_for_non_ref_pic
    r.se(); // offset_for_top_to_bottom_field
    const n = r.ue();
    if (n > 255) throw new RemuxError('ERR_REMUX_AVC_SPS', `num_ref_frames_in_pic_order_cnt_cycle ${n} exceeds 255`);
    for (let i = 0; i < n; i++) r.se();
  }
  r.ue(); // max_num_ref_frames
  r.bit(); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.ue() + 1;
  const heightMapUnits = r.ue() + 1;
  const frameMbsOnly = r.bit();
  if (!frameMbsOnly) r.bit(); // mb_adaptive_frame_field_flag
  r.bit(); // direct_8x8_inference_flag
  let cropLeft = 0;
  let cropRight = 0;
  let cropTop = 0;
  let cropBottom = 0;
  if (r.bit()) {
    cropLeft = r.ue();
    cropRight = r.ue();
    cropTop = r.ue();
    cropBottom = r.ue();
  }
  // 7.4.2.1.1 frame_crop_*: CropUnitX/Y depend on ChromaArrayType (Table 6-1).
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaArrayType === 3 ? 1 : 2;
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
  const cropUnitY = (chromaArrayType === 0 ? 1 : subHeightC) * (2 - frameMbsOnly);
  const width = widthMbs * 16 - cropUnitX * (cropLeft + cropRight);
  const height = (2 - frameMbsOnly) * heightMapUnits * 16 - cropUnitY * (cropTop + cropBottom);
  if (width <= 0 || height <= 0) {
    throw new RemuxError('ERR_REMUX_AVC_SPS', `cropping leaves a ${width}x${height} picture`);
  }
  let fps: number | undefined;
  if (r.remaining > 0 && r.bit()) fps = readVuiFps(r);
  return { profile, constraintFlags, level, chromaFormatIdc, width, height, fps };
}

/** Reads vui_parameters() up to timing info (E.1.1); undefined when timing is absent or zero. */
function readVuiFps(r: BitReader): number | undefined {
  if (r.bit()) {
    const idc = r.bits(8); // aspect_ratio_idc
    if (idc === 255) r.skip(32); // sar_width, sar_height
  }
  if (r.bit()) r.bit(); // overscan_info_present_flag → overscan_appropriate_flag
  if (r.bit()) {
    r.skip(4); // video_format, video_full_range_flag
    if (r.bit()) r.skip(24); // colour_primaries, transfer_characteristics, matrix_coefficients
  }
  if (r.bit()) {
    r.ue(); // chroma_sample_loc_type_top_field
    r.ue(); // chroma_sample_loc_type_bottom_field
  }
  if (!r.bit()) return undefined;
  const numUnitsInTick = r.bits(32);
  const timeScale = r.bits(32);
  if (numUnitsInTick === 0 || timeScale === 0) return undefined;
  return timeScale / (2 * numUnitsInTick);
}

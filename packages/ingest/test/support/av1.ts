/**
 * AV1 Low Overhead Bitstream Format tooling for the Enhanced RTMP tests (test support, not product
 * code): OBU parsing (AV1 5.3), temporal units (7.5), the sequence header (5.5) and the
 * AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3.3).
 */
import { BitReader } from './bit-reader.js';

/** OBU types used here (AV1 6.2.2). */
export const ObuType = { SEQUENCE_HEADER: 1, TEMPORAL_DELIMITER: 2, FRAME_HEADER: 3, TILE_GROUP: 4, METADATA: 5, FRAME: 6, PADDING: 15 } as const;

/** One OBU: its type, the whole OBU (header + size + payload, as stored) and its payload. */
export interface Obu {
  type: number;
  /** The OBU as it appears in the stream (a subarray). */
  bytes: Buffer;
  /** obu_size bytes after the header (a subarray). */
  payload: Buffer;
}

/** leb128() (AV1 4.10.5): value and byte count. */
export function readLeb128(buf: Buffer, at: number): { value: number; size: number } {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const b = buf[at + i];
    if (b === undefined) throw new RangeError('leb128 runs past the end');
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, size: i + 1 };
  }
  throw new RangeError('leb128 longer than 8 bytes');
}

/** Splits a Low Overhead Bitstream Format stream (every OBU has obu_has_size_field = 1, AV1 5.2). */
export function parseObus(stream: Buffer): Obu[] {
  const obus: Obu[] = [];
  let at = 0;
  while (at < stream.length) {
    const h = stream[at]!;
    if (h & 0x80) throw new Error(`OBU at ${at}: obu_forbidden_bit set`);
    const type = (h >> 3) & 0x0f;
    const ext = (h & 0x04) !== 0;
    if ((h & 0x02) === 0) throw new Error(`OBU at ${at}: no obu_has_size_field (not Low Overhead format)`);
    const headerSize = ext ? 2 : 1;
    const { value: size, size: lebSize } = readLeb128(stream, at + headerSize);
    const start = at + headerSize + lebSize;
    const end = start + size;
    if (end > stream.length) throw new Error(`OBU at ${at}: obu_size ${size} runs past the end`);
    obus.push({ type, bytes: stream.subarray(at, end), payload: stream.subarray(start, end) });
    at = end;
  }
  return obus;
}

/** Temporal units (AV1 7.5): each starts with a temporal delimiter OBU, which is kept here. */
export function temporalUnits(obus: readonly Obu[]): Obu[][] {
  const tus: Obu[][] = [];
  for (const o of obus) {
    if (o.type === ObuType.TEMPORAL_DELIMITER || tus.length === 0) tus.push([]);
    tus[tus.length - 1]!.push(o);
  }
  return tus;
}

/** Sequence header fields the configuration record and key frame detection need (AV1 5.5). */
export interface Av1SequenceHeader {
  seqProfile: number;
  reducedStillPictureHeader: boolean;
  seqLevelIdx0: number;
  seqTier0: number;
  highBitdepth: boolean;
  twelveBit: boolean;
  monochrome: boolean;
  subsamplingX: number;
  subsamplingY: number;
  chromaSamplePosition: number;
  maxFrameWidth: number;
  maxFrameHeight: number;
}

/** Parses sequence_header_obu() up to color_config() (AV1 5.5.1, 5.5.2). */
export function parseSequenceHeader(payload: Buffer): Av1SequenceHeader {
  const r = new BitReader(payload);
  const seqProfile = r.u(3);
  r.u(1); // still_picture
  const reducedStillPictureHeader = r.flag();
  let seqLevelIdx0 = 0;
  let seqTier0 = 0;
  if (reducedStillPictureHeader) {
    seqLevelIdx0 = r.u(5);
  } else {
    let decoderModelInfoPresent = false;
    let bufferDelayLength = 0;
    if (r.flag()) {
      // timing_info() (5.5.3)
      r.u(32); // num_units_in_display_tick
      r.u(32); // time_scale
      if (r.flag()) r.uvlc(); // equal_picture_interval: num_ticks_per_picture_minus_1
      decoderModelInfoPresent = r.flag();
      if (decoderModelInfoPresent) {
        // decoder_model_info() (5.5.4)
        bufferDelayLength = r.u(5) + 1;
        r.u(32); // num_units_in_decoding_tick
        r.u(5); // buffer_removal_time_length_minus_1
        r.u(5); // frame_presentation_time_length_minus_1
      }
    }
    const initialDisplayDelayPresent = r.flag();
    const operatingPoints = r.u(5) + 1;
    for (let i = 0; i < operatingPoints; i++) {
      r.u(12); // operating_point_idc
      const level = r.u(5);
      const tier = level > 7 ? r.u(1) : 0;
      if (i === 0) {
        seqLevelIdx0 = level;
        seqTier0 = tier;
      }
      if (decoderModelInfoPresent && r.flag()) r.skip(2 * bufferDelayLength + 1); // operating_parameters_info (5.5.5)
      if (initialDisplayDelayPresent && r.flag()) r.u(4); // initial_display_delay_minus_1
    }
  }
  const widthBits = r.u(4) + 1;
  const heightBits = r.u(4) + 1;
  const maxFrameWidth = r.u(widthBits) + 1;
  const maxFrameHeight = r.u(heightBits) + 1;
  if (!reducedStillPictureHeader && r.flag()) r.u(7); // frame_id_numbers_present: delta (4) + additional (3) lengths
  r.u(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
  if (!reducedStillPictureHeader) {
    r.u(4); // enable_interintra_compound, enable_masked_compound, enable_warped_motion, enable_dual_filter
    const orderHint = r.flag();
    if (orderHint) r.u(2); // enable_jnt_comp, enable_ref_frame_mvs
    const forceScreenContentTools = r.flag() ? 2 : r.u(1); // seq_choose_screen_content_tools ? SELECT : seq_force_screen_content_tools
    if (forceScreenContentTools > 0 && !r.flag()) r.u(1); // seq_choose_integer_mv, else seq_force_integer_mv
    if (orderHint) r.u(3); // order_hint_bits_minus_1
  }
  r.u(3); // enable_superres, enable_cdef, enable_restoration
  // color_config() (5.5.2)
  const highBitdepth = r.flag();
  const twelveBit = seqProfile === 2 && highBitdepth ? r.flag() : false;
  const bitDepth = twelveBit ? 12 : highBitdepth ? 10 : 8;
  const monochrome = seqProfile === 1 ? false : r.flag();
  let cp = 2;
  let tc = 2;
  let mc = 2;
  if (r.flag()) {
    cp = r.u(8);
    tc = r.u(8);
    mc = r.u(8);
  }
  let subsamplingX = 1;
  let subsamplingY = 1;
  let chromaSamplePosition = 0;
  if (monochrome) {
    r.u(1); // color_range
  } else if (cp === 1 && tc === 13 && mc === 0) {
    subsamplingX = 0; // sRGB: 4:4:4
    subsamplingY = 0;
  } else {
    r.u(1); // color_range
    if (seqProfile === 1) {
      subsamplingX = 0;
      subsamplingY = 0;
    } else if (seqProfile === 2) {
      if (bitDepth === 12) {
        subsamplingX = r.u(1);
        subsamplingY = subsamplingX ? r.u(1) : 0;
      } else {
        subsamplingX = 1;
        subsamplingY = 0;
      }
    }
    if (subsamplingX && subsamplingY) chromaSamplePosition = r.u(2);
  }
  return {
    seqProfile,
    reducedStillPictureHeader,
    seqLevelIdx0,
    seqTier0,
    highBitdepth,
    twelveBit,
    monochrome,
    subsamplingX,
    subsamplingY,
    chromaSamplePosition,
    maxFrameWidth,
    maxFrameHeight,
  };
}

/**
 * AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3.3): marker 1 + version 1 (0x81), the sequence header's
 * profile, level, tier and color config, no initial_presentation_delay, then the sequence header OBU
 * (as stored, with its size field) as configOBUs.
 */
export function buildAv1C(sequenceHeaderObu: Obu): Buffer {
  const s = parseSequenceHeader(sequenceHeaderObu.payload);
  const head = Buffer.alloc(4);
  head[0] = 0x81;
  head[1] = (s.seqProfile << 5) | s.seqLevelIdx0;
  head[2] =
    (s.seqTier0 << 7) |
    (Number(s.highBitdepth) << 6) |
    (Number(s.twelveBit) << 5) |
    (Number(s.monochrome) << 4) |
    (s.subsamplingX << 3) |
    (s.subsamplingY << 2) |
    s.chromaSamplePosition;
  head[3] = 0; // reserved, initial_presentation_delay_present 0
  return Buffer.concat([head, sequenceHeaderObu.bytes]);
}

/**
 * True when the temporal unit is a random access point: it shows a key frame (uncompressed_header,
 * AV1 5.9.2: show_existing_frame 0, frame_type KEY_FRAME, show_frame 1). A reduced still picture
 * header makes every frame a shown key frame.
 */
export function isKeyTemporalUnit(tu: readonly Obu[], reducedStillPictureHeader = false): boolean {
  for (const o of tu) {
    if (o.type !== ObuType.FRAME && o.type !== ObuType.FRAME_HEADER) continue;
    if (reducedStillPictureHeader) return true;
    const r = new BitReader(o.payload);
    if (r.flag()) continue; // show_existing_frame: shows an already decoded frame
    const frameType = r.u(2);
    const showFrame = r.flag();
    if (frameType === 0 && showFrame) return true;
  }
  return false;
}

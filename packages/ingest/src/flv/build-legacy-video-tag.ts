import { IngestError } from '../errors.js';
import { checkField, SI24_MAX, SI24_MIN } from './check-field.js';
import { LEGACY_AVC_HEADER_SIZE } from './legacy-video-tag.js';
import { VideoCodecId, VideoFrameType } from './video-constants.js';

/** A legacy VIDEODATA body without AVCPacketType: H.263, screen, VP6, or a command frame (FLV 10.1 E.4.3.1). */
export interface LegacyVideoTagSpec {
  /** FrameType 0..7 (the top bit is IsExVideoHeader in E-RTMP). */
  readonly frameType: number;
  /** CodecID 0..15; 7 and 12 only for command frames (otherwise use buildLegacyAvcTag). */
  readonly codecId: number;
  /** Everything after byte 0 (for a command frame: the VideoCommand byte). */
  readonly payload: Buffer;
}

/** Builds a legacy one-byte-header video tag body (FLV 10.1 E.4.3.1). */
export function buildLegacyVideoTag(spec: LegacyVideoTagSpec): Buffer {
  checkField(spec.frameType, 0, 7, 'FrameType');
  checkField(spec.codecId, 0, 15, 'CodecID');
  const avcLike = spec.codecId === VideoCodecId.Avc || spec.codecId === VideoCodecId.HevcCdn;
  if (avcLike && spec.frameType !== VideoFrameType.Command) {
    throw new IngestError('ERR_FLV_BAD_TAG', `CodecID ${spec.codecId} needs an AVCPacketType: use buildLegacyAvcTag`);
  }
  const out = Buffer.allocUnsafe(1 + spec.payload.length);
  out[0] = (spec.frameType << 4) | spec.codecId;
  spec.payload.copy(out, 1);
  return out;
}

/** A legacy AVC (CodecID 7) or HEVC (CodecID 12, Chinese-CDN convention) VIDEODATA body (FLV 10.1 E.4.3.1). */
export interface LegacyAvcTagSpec {
  /** 7 (AVC, default) or 12 (HEVC). */
  readonly codecId?: 7 | 12;
  /** FrameType 0..7. */
  readonly frameType: number;
  /** AVCPacketType 0..255 (0 config, 1 NALUs, 2 end of sequence). */
  readonly packetType: number;
  /** Signed 24-bit CompositionTime in ms (default 0). */
  readonly cts?: number;
  /** AVCDecoderConfigurationRecord / length-prefixed NALUs / nothing. */
  readonly payload: Buffer;
}

/** Builds a legacy AVC/HEVC video tag body: 5-byte header + payload, one allocation (FLV 10.1 E.4.3.1). */
export function buildLegacyAvcTag(spec: LegacyAvcTagSpec): Buffer {
  const codecId = spec.codecId ?? VideoCodecId.Avc;
  const cts = spec.cts ?? 0;
  checkField(spec.frameType, 0, 7, 'FrameType');
  checkField(spec.packetType, 0, 255, 'AVCPacketType');
  checkField(cts, SI24_MIN, SI24_MAX, 'CompositionTime');
  const out = Buffer.allocUnsafe(LEGACY_AVC_HEADER_SIZE + spec.payload.length);
  out[0] = (spec.frameType << 4) | codecId;
  out[1] = spec.packetType;
  out.writeIntBE(cts, 2, 3);
  spec.payload.copy(out, LEGACY_AVC_HEADER_SIZE);
  return out;
}

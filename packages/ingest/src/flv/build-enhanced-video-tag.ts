import { IngestError } from '../errors.js';
import { checkField, SI24_MAX, SI24_MIN } from './check-field.js';
import { writeFourCc } from './fourcc.js';
import { MOD_EX_PACKET_TYPE, TIMESTAMP_OFFSET_NANO_SIZE, writeTimestampOffsetNano } from './mod-ex.js';
import { AvMultitrackType } from './multitrack.js';
import { EX_VIDEO_HEADER_FLAG, FOURCC_WITH_COMPOSITION_TIME, VideoFrameType, VideoPacketType } from './video-constants.js';

/** An Enhanced RTMP video tag body (E-RTMP v2 "Enhanced Video"). */
export interface EnhancedVideoTagSpec {
  /** `avc1`, `hvc1`, `av01`, `vp09`, `vp08`, or any 4 ASCII chars; not written for command frames. */
  readonly fourcc: string;
  /** VideoPacketType 0..15 other than ModEx and Multitrack (those come from `timestampOffsetNano` / `trackId`). */
  readonly packetType: number;
  /** VideoFrameType 0..7. Command (5) with a packet type other than Metadata writes no FourCC. */
  readonly frameType: number;
  /** SI24 CompositionTime: written only for CodedFrames of avc1/hvc1 (default 0). */
  readonly cts?: number;
  /** The ExVideoTagBody after the header (and after the CompositionTime). */
  readonly payload: Buffer;
  /** Adds a ModEx TimestampOffsetNano block (0..999,999 ns). */
  readonly timestampOffsetNano?: number;
  /** Wraps the packet as a OneTrack Multitrack message with this TrackId (0..255); not for command frames. */
  readonly trackId?: number;
}

/** Builds an Enhanced RTMP video tag body, sized first and allocated once (E-RTMP v2 ExVideoTagHeader/Body). */
export function buildEnhancedVideoTag(spec: EnhancedVideoTagSpec): Buffer {
  const cts = spec.cts ?? 0;
  checkField(spec.frameType, 0, 7, 'VideoFrameType');
  checkField(spec.packetType, 0, 15, 'VideoPacketType');
  checkField(cts, SI24_MIN, SI24_MAX, 'CompositionTime');
  if (spec.trackId !== undefined) checkField(spec.trackId, 0, 255, 'TrackId');
  if (spec.packetType === VideoPacketType.ModEx || spec.packetType === VideoPacketType.Multitrack) {
    throw new IngestError('ERR_FLV_BAD_TAG', `VideoPacketType ${spec.packetType} is framing: use timestampOffsetNano / trackId`);
  }
  const command = spec.frameType === VideoFrameType.Command && spec.packetType !== VideoPacketType.Metadata;
  if (command && spec.trackId !== undefined) {
    throw new IngestError('ERR_FLV_BAD_TAG', `a command frame cannot be multitrack (trackId ${spec.trackId})`);
  }
  const multitrack = spec.trackId !== undefined;
  const hasCts = spec.packetType === VideoPacketType.CodedFrames && FOURCC_WITH_COMPOSITION_TIME.has(spec.fourcc);
  if (cts !== 0 && !hasCts) {
    throw new IngestError('ERR_FLV_BAD_TAG', `CompositionTime ${cts} needs CodedFrames of avc1/hvc1, got ${spec.fourcc} type ${spec.packetType}`);
  }
  const size =
    1 +
    (spec.timestampOffsetNano !== undefined ? TIMESTAMP_OFFSET_NANO_SIZE : 0) +
    (multitrack ? 1 : 0) +
    (command ? 0 : 4) +
    (multitrack ? 1 : 0) +
    (hasCts ? 3 : 0) +
    spec.payload.length;
  const out = Buffer.allocUnsafe(size);
  const framing = multitrack ? VideoPacketType.Multitrack : spec.packetType;
  let off = 1;
  if (spec.timestampOffsetNano !== undefined) {
    out[0] = EX_VIDEO_HEADER_FLAG | (spec.frameType << 4) | MOD_EX_PACKET_TYPE;
    off = writeTimestampOffsetNano(out, off, spec.timestampOffsetNano, framing);
  } else {
    out[0] = EX_VIDEO_HEADER_FLAG | (spec.frameType << 4) | framing;
  }
  if (multitrack) out[off++] = (AvMultitrackType.OneTrack << 4) | spec.packetType;
  if (!command) off = writeFourCc(out, off, spec.fourcc);
  if (multitrack) out[off++] = spec.trackId!;
  if (hasCts) {
    out.writeIntBE(cts, off, 3);
    off += 3;
  }
  spec.payload.copy(out, off);
  return out;
}

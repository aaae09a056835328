import type { VideoMessage, VideoPacket } from '../media/message.js';
import { readExVideoHeader } from './ex-video-header.js';
import { AvMultitrackType, DEFAULT_TRACK_ID } from './multitrack.js';
import { need } from './need.js';
import { FOURCC_WITH_COMPOSITION_TIME, isKeyFrameType, VIDEO_FOURCC_CODEC, VideoPacketType } from './video-constants.js';

/**
 * Parses an Enhanced RTMP video tag body (E-RTMP v1/v2 "Enhanced Video": ExVideoTagHeader + ExVideoTagBody).
 * - CodedFrames carries an SI24 CompositionTime for avc1/hvc1 only; CodedFramesX implies 0.
 * - MPEG2TSSequenceStart (av01 AV1VideoDescriptor) is packet 'other': it is not an
 *   AV1CodecConfigurationRecord, which is what the contract's 'config' promises.
 * - Multitrack: a OneTrack message of track 0 is unwrapped; anything else is 'other'.
 * - Unknown FourCC, command frames and unknown packet types are 'other' (relayed, never thrown).
 */
export function parseEnhancedVideoTag(body: Buffer, dts: number): VideoMessage {
  const h = readExVideoHeader(body);
  const codec = (h.fourcc !== undefined && VIDEO_FOURCC_CODEC.get(h.fourcc)) || 'unknown';
  let off = h.offset;
  let cts = 0;
  let packet: VideoPacket = 'other';
  const unwrapped =
    h.multitrack === undefined || (h.multitrack === AvMultitrackType.OneTrack && h.trackId === DEFAULT_TRACK_ID);
  if (h.command === undefined && unwrapped && codec !== 'unknown') {
    switch (h.packetType) {
      case VideoPacketType.SequenceStart:
        packet = 'config';
        break;
      case VideoPacketType.CodedFrames:
        packet = 'frame';
        if (FOURCC_WITH_COMPOSITION_TIME.has(h.fourcc!)) {
          need(body, off + 3, 'CompositionTime');
          cts = body.readIntBE(off, 3);
          off += 3;
        }
        break;
      case VideoPacketType.CodedFramesX:
        packet = 'frame';
        break;
      case VideoPacketType.SequenceEnd:
        packet = 'end';
        break;
      case VideoPacketType.Metadata:
        packet = 'metadata';
        break;
      default:
        packet = 'other';
    }
  }
  return {
    kind: 'video',
    codec,
    fourcc: h.fourcc,
    packet,
    dts,
    pts: dts + cts,
    keyframe: packet === 'frame' && isKeyFrameType(h.frameType),
    body,
    payload: body.subarray(off),
  };
}

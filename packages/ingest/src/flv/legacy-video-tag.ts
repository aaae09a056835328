import type { VideoMessage, VideoPacket } from '../media/message.js';
import { need } from './need.js';
import { AvcPacketType, isKeyFrameType, legacyVideoCodec, VideoCodecId, VideoFrameType } from './video-constants.js';

/** Bytes of the legacy AVC/HEVC VideoTagHeader: FrameType|CodecID, AVCPacketType, SI24 CompositionTime (FLV 10.1 E.4.3.1). */
export const LEGACY_AVC_HEADER_SIZE = 5;

/**
 * Parses a legacy FLV video tag body (FLV 10.1 E.4.3.1 VIDEODATA).
 * - CodecID 7 (AVC) and 12 (HEVC, Chinese-CDN convention): AVCPacketType 0 config, 1 NALUs with a
 *   signed 24-bit CompositionTime (pts = dts + cts), 2 end of sequence; other packet types 'other'.
 * - FrameType 5 (video info/command frame): packet 'other', payload starts at the command byte.
 * - Other known codecs (H.263, screen, VP6): packet 'frame', payload = everything after byte 0
 *   (for VP6 that includes the adjustment byte of VP6FLVVIDEOPACKET, E.4.3.1).
 * - Unknown CodecIDs: codec 'unknown', packet 'other'.
 */
export function parseLegacyVideoTag(body: Buffer, dts: number): VideoMessage {
  need(body, 1, 'VideoTagHeader');
  const b0 = body[0]!;
  const frameType = b0 >> 4;
  const codecId = b0 & 0x0f;
  const codec = legacyVideoCodec(codecId);
  const message = (packet: VideoPacket, payloadOffset: number, cts: number): VideoMessage => ({
    kind: 'video',
    codec,
    fourcc: undefined,
    packet,
    dts,
    pts: dts + cts,
    keyframe: packet === 'frame' && isKeyFrameType(frameType),
    body,
    payload: body.subarray(payloadOffset),
  });
  if (frameType === VideoFrameType.Command) {
    need(body, 2, 'VideoCommand');
    return message('other', 1, 0);
  }
  if (codecId === VideoCodecId.Avc || codecId === VideoCodecId.HevcCdn) {
    need(body, LEGACY_AVC_HEADER_SIZE, codecId === VideoCodecId.Avc ? 'AVC VideoTagHeader' : 'HEVC (codec id 12) VideoTagHeader');
    switch (body[1]) {
      case AvcPacketType.SequenceHeader:
        return message('config', LEGACY_AVC_HEADER_SIZE, 0);
      case AvcPacketType.Nalu:
        return message('frame', LEGACY_AVC_HEADER_SIZE, body.readIntBE(2, 3));
      case AvcPacketType.EndOfSequence:
        return message('end', LEGACY_AVC_HEADER_SIZE, 0);
      default:
        return message('other', LEGACY_AVC_HEADER_SIZE, 0);
    }
  }
  return message(codec === 'unknown' ? 'other' : 'frame', 1, 0);
}

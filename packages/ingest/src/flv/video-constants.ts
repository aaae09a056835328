import type { VideoCodec } from '../media/message.js';

/** IsExVideoHeader: the top bit of the first video byte (E-RTMP v1/v2 "Extended VideoTagHeader"). */
export const EX_VIDEO_HEADER_FLAG = 0x80;

/** FrameType, UB[4] in legacy tags / UB[3] after IsExVideoHeader (FLV 10.1 E.4.3.1; E-RTMP v2 VideoFrameType). */
export const VideoFrameType = { Key: 1, Inter: 2, DisposableInter: 3, GeneratedKey: 4, Command: 5 } as const;

/** Legacy CodecID (FLV 10.1 E.4.3.1), plus 12 = HEVC, a Chinese-CDN convention that no Adobe spec defines. */
export const VideoCodecId = { H263: 2, Screen: 3, Vp6: 4, Vp6Alpha: 5, ScreenV2: 6, Avc: 7, HevcCdn: 12 } as const;

/** AVCPacketType (FLV 10.1 E.4.3.1); livegate reads codec id 12 (HEVC) with the same layout. */
export const AvcPacketType = { SequenceHeader: 0, Nalu: 1, EndOfSequence: 2 } as const;

/** VideoPacketType after IsExVideoHeader (E-RTMP v1 and v2 "Enhanced Video"). */
export const VideoPacketType = {
  SequenceStart: 0,
  CodedFrames: 1,
  SequenceEnd: 2,
  CodedFramesX: 3,
  Metadata: 4,
  Mpeg2TsSequenceStart: 5,
  Multitrack: 6,
  ModEx: 7,
} as const;

/** Video FourCC → codec (E-RTMP v2 VideoFourCc enum). */
export const VIDEO_FOURCC_CODEC: ReadonlyMap<string, VideoCodec> = new Map<string, VideoCodec>([
  ['avc1', 'avc'],
  ['hvc1', 'hevc'],
  ['av01', 'av1'],
  ['vp09', 'vp9'],
  ['vp08', 'vp8'],
]);

/** FourCCs whose CodedFrames carry an SI24 CompositionTime (E-RTMP v2 ExVideoTagBody: Avc and Hevc only). */
export const FOURCC_WITH_COMPOSITION_TIME: ReadonlySet<string> = new Set(['avc1', 'hvc1']);

/** Legacy CodecID → codec (FLV 10.1 E.4.3.1; 12 → hevc, Chinese-CDN convention). */
export function legacyVideoCodec(codecId: number): VideoCodec {
  switch (codecId) {
    case VideoCodecId.H263:
      return 'h263';
    case VideoCodecId.Screen:
    case VideoCodecId.ScreenV2:
      return 'screen';
    case VideoCodecId.Vp6:
    case VideoCodecId.Vp6Alpha:
      return 'vp6';
    case VideoCodecId.Avc:
      return 'avc';
    case VideoCodecId.HevcCdn:
      return 'hevc';
    default:
      return 'unknown';
  }
}

/** True for FrameType 1 (key) and 4 (generated key, server-side seekable frame) (FLV 10.1 E.4.3.1). */
export function isKeyFrameType(frameType: number): boolean {
  return frameType === VideoFrameType.Key || frameType === VideoFrameType.GeneratedKey;
}

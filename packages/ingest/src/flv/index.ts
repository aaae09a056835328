export { parseVideoTag } from './video-tag.js';
export { parseAudioTag } from './audio-tag.js';
export { parseLegacyVideoTag, LEGACY_AVC_HEADER_SIZE } from './legacy-video-tag.js';
export { parseEnhancedVideoTag } from './enhanced-video-tag.js';
export { parseLegacyAudioTag, AAC_HEADER_SIZE } from './legacy-audio-tag.js';
export { parseEnhancedAudioTag } from './enhanced-audio-tag.js';
export { readExVideoHeader, type ExVideoHeader } from './ex-video-header.js';
export { readExAudioHeader, type ExAudioHeader } from './ex-audio-header.js';
export {
  readModEx,
  writeTimestampOffsetNano,
  PacketModExType,
  MOD_EX_PACKET_TYPE,
  MAX_TIMESTAMP_OFFSET_NANO,
  TIMESTAMP_OFFSET_NANO_SIZE,
  type ModExResult,
} from './mod-ex.js';
export { AvMultitrackType, DEFAULT_TRACK_ID } from './multitrack.js';
export { readFourCc, writeFourCc } from './fourcc.js';
export {
  EX_VIDEO_HEADER_FLAG,
  VideoFrameType,
  VideoCodecId,
  AvcPacketType,
  VideoPacketType,
  VIDEO_FOURCC_CODEC,
  FOURCC_WITH_COMPOSITION_TIME,
  legacyVideoCodec,
  isKeyFrameType,
} from './video-constants.js';
export { SoundFormat, SOUND_RATES, AacPacketType, AudioPacketType, AUDIO_FOURCC_CODEC, legacyAudioCodec } from './audio-constants.js';
export { SI24_MIN, SI24_MAX } from './check-field.js';
export {
  buildLegacyVideoTag,
  buildLegacyAvcTag,
  type LegacyVideoTagSpec,
  type LegacyAvcTagSpec,
} from './build-legacy-video-tag.js';
export { buildEnhancedVideoTag, type EnhancedVideoTagSpec } from './build-enhanced-video-tag.js';
export { buildVideoTag, type VideoTagSpec } from './build-video-tag.js';
export {
  buildAudioTag,
  buildLegacyAudioTag,
  buildAacTag,
  buildEnhancedAudioTag,
  type AudioTagSpec,
  type LegacyAudioTagSpec,
  type AacTagSpec,
  type EnhancedAudioTagSpec,
  type SoundParams,
} from './build-audio-tag.js';

/** Codec parsing for remux: H.264/H.265 configuration records and SPS, Annex B, AAC, ADTS, MPEG audio. */
export { BitReader } from './bit-reader.js';
export { nalToRbsp } from './rbsp.js';
export { type ByteChunks, emptyChunks, pushChunk } from './byte-chunks.js';
export { type AvcDecoderConfig, MAX_PARAMETER_SETS, parseAvcDecoderConfig, avcCodecString } from './avc-config.js';
export { type AvcSps, parseAvcSps } from './avc-sps.js';
export {
  type HevcDecoderConfig,
  HEVC_NAL_VPS,
  HEVC_NAL_SPS,
  HEVC_NAL_PPS,
  parseHevcDecoderConfig,
  hevcCodecString,
} from './hevc-config.js';
export { type HevcSps, parseHevcSps } from './hevc-sps.js';
export { type AnnexBOptions, MAX_NALUS_PER_ACCESS_UNIT, splitLengthPrefixed, toAnnexB } from './annexb.js';
export { type AudioSpecificConfig, AAC_SAMPLE_RATES, parseAudioSpecificConfig, aacCodecString } from './aac-config.js';
export { type AdtsParams, ADTS_HEADER_SIZE, ADTS_MAX_FRAME_SIZE, adtsParams, writeAdtsHeader, buildAdtsHeader } from './adts.js';
export { type Mp3Header, parseMp3Header } from './mp3-header.js';

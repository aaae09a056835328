import type { AudioMessage, VideoMessage } from '@livegate/ingest';
import { type AvcDecoderConfig, avcCodecString, parseAvcDecoderConfig } from '../codec/avc-config.js';
import { parseAvcSps } from '../codec/avc-sps.js';
import { type HevcDecoderConfig, hevcCodecString, parseHevcDecoderConfig } from '../codec/hevc-config.js';
import { parseHevcSps } from '../codec/hevc-sps.js';
import { type AudioSpecificConfig, aacCodecString, parseAudioSpecificConfig } from '../codec/aac-config.js';
import { type AdtsParams, adtsParams } from '../codec/adts.js';
import { parseMp3Header } from '../codec/mp3-header.js';
import { RemuxError } from '../errors.js';

/** A video track known from its decoder configuration record (copied out of the tag body: kept for the stream). */
export type VideoTrack =
  | { readonly codec: 'avc'; readonly config: AvcDecoderConfig; readonly width: number; readonly height: number; readonly fps: number | undefined; readonly codecString: string; readonly parameterSets: readonly Uint8Array[] }
  | { readonly codec: 'hevc'; readonly config: HevcDecoderConfig; readonly width: number; readonly height: number; readonly fps: undefined; readonly codecString: string; readonly parameterSets: readonly Uint8Array[] };

/** An audio track: AAC from its AudioSpecificConfig, MPEG audio from its first frame header. */
export type AudioTrack =
  | { readonly codec: 'aac'; readonly config: AudioSpecificConfig; readonly adts: AdtsParams; readonly sampleRate: number; readonly samplesPerFrame: number; readonly codecString: string }
  | { readonly codec: 'mp3'; readonly mpeg1: boolean; readonly sampleRate: number; readonly samplesPerFrame: number; readonly codecString: string };

/** The tracks of one publish. */
export interface MediaTracks {
  video: VideoTrack | undefined;
  audio: AudioTrack | undefined;
}

/** Builds a video track from a `config` message (AVC or HEVC); throws RemuxError for other codecs or bad records. */
export function videoTrackFromConfig(msg: VideoMessage): VideoTrack {
  const payload = Buffer.from(msg.payload); // copy what we keep: the record outlives the tag
  if (msg.codec === 'avc') {
    const config = parseAvcDecoderConfig(payload);
    const first = config.sps[0];
    if (first === undefined) throw new RemuxError('ERR_REMUX_AVC_CONFIG', 'AVCDecoderConfigurationRecord has 0 SPS, need at least 1');
    const sps = parseAvcSps(first);
    return {
      codec: 'avc',
      config,
      width: sps.width,
      height: sps.height,
      fps: sps.fps,
      codecString: avcCodecString(config.profile, config.profileCompatibility, config.level),
      parameterSets: [...config.sps, ...config.pps],
    };
  }
  if (msg.codec === 'hevc') {
    const config = parseHevcDecoderConfig(payload);
    const first = config.sps[0];
    if (first === undefined) throw new RemuxError('ERR_REMUX_HEVC_CONFIG', 'HEVCDecoderConfigurationRecord has 0 SPS, need at least 1');
    const sps = parseHevcSps(first);
    return {
      codec: 'hevc',
      config,
      width: sps.width,
      height: sps.height,
      fps: undefined,
      codecString: hevcCodecString(config),
      parameterSets: [...config.vps, ...config.sps, ...config.pps],
    };
  }
  throw new RemuxError('ERR_REMUX_UNSUPPORTED_CODEC', `video codec '${msg.codec}' cannot go into MPEG-TS HLS (supported: avc, hevc)`);
}

/** Builds an audio track from an AAC `config` message or the first MP3 frame. */
export function audioTrackFrom(msg: AudioMessage): AudioTrack {
  if (msg.codec === 'aac') {
    const config = parseAudioSpecificConfig(msg.payload);
    return {
      codec: 'aac',
      config,
      adts: adtsParams(config),
      sampleRate: config.sampleRate,
      samplesPerFrame: config.samplesPerFrame,
      codecString: aacCodecString(config),
    };
  }
  if (msg.codec === 'mp3') {
    const h = parseMp3Header(msg.payload);
    return { codec: 'mp3', mpeg1: h.version === 1, sampleRate: h.sampleRate, samplesPerFrame: h.samplesPerFrame, codecString: 'mp4a.40.34' };
  }
  throw new RemuxError('ERR_REMUX_UNSUPPORTED_CODEC', `audio codec '${msg.codec}' cannot go into MPEG-TS HLS (supported: aac, mp3)`);
}

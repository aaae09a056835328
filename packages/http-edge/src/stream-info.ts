import type { LiveStream } from '@livegate/ingest';
import {
  aacCodecString,
  avcCodecString,
  hevcCodecString,
  parseAudioSpecificConfig,
  parseAvcDecoderConfig,
  parseAvcSps,
  parseHevcDecoderConfig,
  parseHevcSps,
} from '@livegate/remux';

/** What the API says about a stream's video. */
export interface VideoInfo {
  codec: string;
  /** RFC 6381 codec string when known (avc1.64001f, hvc1..., mp4a.40.2). */
  codecString: string | undefined;
  width: number | undefined;
  height: number | undefined;
}

/** What the API says about a stream's audio. */
export interface AudioInfo {
  codec: string;
  codecString: string | undefined;
  sampleRate: number | undefined;
  channels: number | undefined;
}

/** Resolution and codec strings from the decoder configs, falling back to onMetaData. */
const cache = new WeakMap<object, VideoInfo | AudioInfo>();

/** Describe a stream's video from its sequence header (parsed once per header). */
export function videoInfo(s: LiveStream): VideoInfo | undefined {
  const cfg = s.videoConfig;
  if (!cfg) return s.hasVideo ? { codec: 'unknown', codecString: undefined, width: metaNumber(s, 'width'), height: metaNumber(s, 'height') } : undefined;
  const hit = cache.get(cfg) as VideoInfo | undefined;
  if (hit) return hit;
  const info: VideoInfo = { codec: cfg.codec, codecString: undefined, width: metaNumber(s, 'width'), height: metaNumber(s, 'height') };
  try {
    if (cfg.codec === 'avc') {
      const c = parseAvcDecoderConfig(cfg.payload);
      info.codecString = avcCodecString(c.profile, c.profileCompatibility, c.level);
      const sps = c.sps[0] && parseAvcSps(c.sps[0]);
      if (sps) Object.assign(info, { width: sps.width, height: sps.height });
    } else if (cfg.codec === 'hevc') {
      const c = parseHevcDecoderConfig(cfg.payload);
      info.codecString = hevcCodecString(c);
      const sps = c.sps[0] && parseHevcSps(c.sps[0]);
      if (sps) Object.assign(info, { width: sps.width, height: sps.height });
    }
  } catch {
    // an unparsable config still relays; the API falls back to onMetaData's numbers
  }
  cache.set(cfg, info);
  return info;
}

/** Describe a stream's audio from its sequence header or first frames' FLV flags. */
export function audioInfo(s: LiveStream): AudioInfo | undefined {
  const cfg = s.audioConfig;
  if (!cfg) return s.hasAudio ? { codec: 'unknown', codecString: undefined, sampleRate: metaNumber(s, 'audiosamplerate'), channels: undefined } : undefined;
  const hit = cache.get(cfg) as AudioInfo | undefined;
  if (hit) return hit;
  const info: AudioInfo = { codec: cfg.codec, codecString: undefined, sampleRate: cfg.soundRate, channels: cfg.channels };
  if (cfg.codec === 'aac') {
    try {
      const asc = parseAudioSpecificConfig(cfg.payload);
      Object.assign(info, { codecString: aacCodecString(asc), sampleRate: asc.extensionSampleRate ?? asc.sampleRate, channels: asc.channelConfig });
    } catch {
      // keep the FLV header's numbers
    }
  }
  cache.set(cfg, info);
  return info;
}

function metaNumber(s: LiveStream, key: string): number | undefined {
  const o = s.metadata?.args[0];
  if (typeof o !== 'object' || o === null) return undefined;
  const v = (o as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

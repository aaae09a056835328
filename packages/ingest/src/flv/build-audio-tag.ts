import { IngestError } from '../errors.js';
import { AAC_HEADER_SIZE } from './legacy-audio-tag.js';
import { AudioPacketType, SOUND_RATES, SoundFormat } from './audio-constants.js';
import { checkField } from './check-field.js';
import { writeFourCc } from './fourcc.js';
import { MOD_EX_PACKET_TYPE, TIMESTAMP_OFFSET_NANO_SIZE, writeTimestampOffsetNano } from './mod-ex.js';
import { AvMultitrackType } from './multitrack.js';

/** SoundRate/SoundSize/SoundType of a legacy AudioTagHeader (FLV 10.1 E.4.2.1). */
export interface SoundParams {
  /** 5512, 11025, 22050 or 44100 Hz (default 44100). */
  readonly soundRate?: number;
  /** 8 or 16 bits (default 16). */
  readonly soundSize?: number;
  /** 1 or 2 (default 2). */
  readonly channels?: number;
}

/** A legacy AUDIODATA body for any SoundFormat except AAC (10) and ExHeader (9) (FLV 10.1 E.4.2.1). */
export interface LegacyAudioTagSpec extends SoundParams {
  readonly soundFormat: number;
  /** Everything after byte 0 (MP3 frames, PCM samples, ...). */
  readonly payload: Buffer;
}

/** A legacy AAC AUDIODATA body (FLV 10.1 E.4.2.1). */
export interface AacTagSpec extends SoundParams {
  /** AACPacketType: 0 AudioSpecificConfig, 1 raw AAC frame. */
  readonly packetType: number;
  readonly payload: Buffer;
}

/** An Enhanced RTMP audio tag body (E-RTMP v2 "Enhanced Audio"). */
export interface EnhancedAudioTagSpec {
  /** `Opus`, `ac-3`, `ec-3`, `mp4a`, `fLaC`, `.mp3`, or any 4 ASCII chars. */
  readonly fourcc: string;
  /** AudioPacketType 0..15 other than ModEx and Multitrack (those come from `timestampOffsetNano` / `trackId`). */
  readonly packetType: number;
  readonly payload: Buffer;
  /** Adds a ModEx TimestampOffsetNano block (0..999,999 ns). */
  readonly timestampOffsetNano?: number;
  /** Wraps the packet as a OneTrack Multitrack message with this TrackId (0..255). */
  readonly trackId?: number;
}

/** Any audio tag body livegate can build (FLV 10.1 E.4.2.1; E-RTMP v2). */
export type AudioTagSpec =
  | ({ readonly format: 'legacy' } & LegacyAudioTagSpec)
  | ({ readonly format: 'aac' } & AacTagSpec)
  | ({ readonly format: 'enhanced' } & EnhancedAudioTagSpec);

/** The first byte of a legacy audio tag: SoundFormat|SoundRate|SoundSize|SoundType (FLV 10.1 E.4.2.1). */
function soundByte(soundFormat: number, p: SoundParams): number {
  const rate = SOUND_RATES.indexOf(p.soundRate ?? 44100);
  if (rate < 0) throw new IngestError('ERR_FLV_BAD_TAG', `SoundRate ${p.soundRate} is not one of ${SOUND_RATES.join(', ')}`);
  const size = p.soundSize ?? 16;
  const channels = p.channels ?? 2;
  if (size !== 8 && size !== 16) throw new IngestError('ERR_FLV_BAD_TAG', `SoundSize ${size} is not 8 or 16`);
  if (channels !== 1 && channels !== 2) throw new IngestError('ERR_FLV_BAD_TAG', `SoundType channels ${channels} is not 1 or 2`);
  return (soundFormat << 4) | (rate << 2) | (size === 16 ? 2 : 0) | (channels === 2 ? 1 : 0);
}

/** Builds a legacy one-byte-header audio tag body (FLV 10.1 E.4.2.1). */
export function buildLegacyAudioTag(spec: LegacyAudioTagSpec): Buffer {
  checkField(spec.soundFormat, 0, 15, 'SoundFormat');
  if (spec.soundFormat === SoundFormat.Aac || spec.soundFormat === SoundFormat.ExHeader) {
    throw new IngestError('ERR_FLV_BAD_TAG', `SoundFormat ${spec.soundFormat}: use buildAacTag / buildEnhancedAudioTag`);
  }
  const out = Buffer.allocUnsafe(1 + spec.payload.length);
  out[0] = soundByte(spec.soundFormat, spec);
  spec.payload.copy(out, 1);
  return out;
}

/** Builds a legacy AAC audio tag body: 2-byte header + payload (FLV 10.1 E.4.2.1 AACAUDIODATA). */
export function buildAacTag(spec: AacTagSpec): Buffer {
  checkField(spec.packetType, 0, 255, 'AACPacketType');
  const out = Buffer.allocUnsafe(AAC_HEADER_SIZE + spec.payload.length);
  out[0] = soundByte(SoundFormat.Aac, spec);
  out[1] = spec.packetType;
  spec.payload.copy(out, AAC_HEADER_SIZE);
  return out;
}

/** Builds an Enhanced RTMP audio tag body, sized first and allocated once (E-RTMP v2 ExAudioTagHeader/Body). */
export function buildEnhancedAudioTag(spec: EnhancedAudioTagSpec): Buffer {
  checkField(spec.packetType, 0, 15, 'AudioPacketType');
  if (spec.trackId !== undefined) checkField(spec.trackId, 0, 255, 'TrackId');
  if (spec.packetType === AudioPacketType.ModEx || spec.packetType === AudioPacketType.Multitrack) {
    throw new IngestError('ERR_FLV_BAD_TAG', `AudioPacketType ${spec.packetType} is framing: use timestampOffsetNano / trackId`);
  }
  const multitrack = spec.trackId !== undefined;
  const nano = spec.timestampOffsetNano !== undefined;
  const size = 1 + (nano ? TIMESTAMP_OFFSET_NANO_SIZE : 0) + (multitrack ? 2 : 0) + 4 + spec.payload.length;
  const out = Buffer.allocUnsafe(size);
  const framing = multitrack ? AudioPacketType.Multitrack : spec.packetType;
  let off = 1;
  if (nano) {
    out[0] = (SoundFormat.ExHeader << 4) | MOD_EX_PACKET_TYPE;
    off = writeTimestampOffsetNano(out, off, spec.timestampOffsetNano!, framing);
  } else {
    out[0] = (SoundFormat.ExHeader << 4) | framing;
  }
  if (multitrack) out[off++] = (AvMultitrackType.OneTrack << 4) | spec.packetType;
  off = writeFourCc(out, off, spec.fourcc);
  if (multitrack) out[off++] = spec.trackId!;
  spec.payload.copy(out, off);
  return out;
}

/** Builds an audio tag body (RTMP message type 8 / FLV tag type 8) from a spec (FLV 10.1 E.4.2; E-RTMP v2). */
export function buildAudioTag(spec: AudioTagSpec): Buffer {
  switch (spec.format) {
    case 'legacy':
      return buildLegacyAudioTag(spec);
    case 'aac':
      return buildAacTag(spec);
    case 'enhanced':
      return buildEnhancedAudioTag(spec);
  }
}

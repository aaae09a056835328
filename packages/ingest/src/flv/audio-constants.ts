import type { AudioCodec } from '../media/message.js';

/** SoundFormat, UB[4] (FLV 10.1 E.4.2.1; E-RTMP v2: 9 = ExHeader). */
export const SoundFormat = {
  LPcmPlatformEndian: 0,
  AdPcm: 1,
  Mp3: 2,
  LPcmLittleEndian: 3,
  Nellymoser16kMono: 4,
  Nellymoser8kMono: 5,
  Nellymoser: 6,
  G711ALaw: 7,
  G711MuLaw: 8,
  ExHeader: 9,
  Aac: 10,
  Speex: 11,
  Mp3_8k: 14,
  DeviceSpecific: 15,
} as const;

/** SoundRate UB[2] index → Hz (FLV 10.1 E.4.2.1: 5.5, 11, 22, 44 kHz). */
export const SOUND_RATES: readonly number[] = [5512, 11025, 22050, 44100];

/** AACPacketType (FLV 10.1 E.4.2.1). */
export const AacPacketType = { SequenceHeader: 0, Raw: 1 } as const;

/** AudioPacketType after SoundFormat ExHeader (E-RTMP v2 "Enhanced Audio"). */
export const AudioPacketType = {
  SequenceStart: 0,
  CodedFrames: 1,
  SequenceEnd: 2,
  MultichannelConfig: 4,
  Multitrack: 5,
  ModEx: 7,
} as const;

/** Audio FourCC → codec (E-RTMP v2 AudioFourCc enum). */
export const AUDIO_FOURCC_CODEC: ReadonlyMap<string, AudioCodec> = new Map<string, AudioCodec>([
  ['Opus', 'opus'],
  ['ac-3', 'ac3'],
  ['ec-3', 'eac3'],
  ['mp4a', 'aac'],
  ['fLaC', 'flac'],
  ['.mp3', 'mp3'],
]);

/** Legacy SoundFormat → codec (FLV 10.1 E.4.2.1); reserved 12/13 and device-specific 15 → 'unknown'. */
export function legacyAudioCodec(soundFormat: number): AudioCodec {
  switch (soundFormat) {
    case SoundFormat.LPcmPlatformEndian:
    case SoundFormat.LPcmLittleEndian:
      return 'pcm';
    case SoundFormat.AdPcm:
      return 'adpcm';
    case SoundFormat.Mp3:
    case SoundFormat.Mp3_8k:
      return 'mp3';
    case SoundFormat.Nellymoser16kMono:
    case SoundFormat.Nellymoser8kMono:
    case SoundFormat.Nellymoser:
      return 'nellymoser';
    case SoundFormat.G711ALaw:
      return 'g711a';
    case SoundFormat.G711MuLaw:
      return 'g711u';
    case SoundFormat.Aac:
      return 'aac';
    case SoundFormat.Speex:
      return 'speex';
    default:
      return 'unknown';
  }
}

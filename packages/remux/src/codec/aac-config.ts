import { RemuxError } from '../errors.js';
import { BitReader } from './bit-reader.js';

/** samplingFrequencyIndex → Hz (ISO/IEC 14496-3 1.6.3.4, Table 1.18). */
export const AAC_SAMPLE_RATES: readonly number[] = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1), the fields ADTS and codec strings need. */
export interface AudioSpecificConfig {
  /** audioObjectType as signalled (2 = AAC-LC, 5 = SBR/HE-AAC, 29 = PS/HE-AACv2, >= 32 via escape 31). */
  readonly objectType: number;
  /** Core sampling frequency in Hz and its table index (an explicit 0xF rate is looked up; undefined if not tabled). */
  readonly sampleRate: number;
  readonly sampleRateIndex: number | undefined;
  readonly channelConfig: number;
  /** For explicit SBR/PS signalling (object type 5 or 29): the underlying core object type and output rate. */
  readonly coreObjectType: number;
  readonly extensionSampleRate: number | undefined;
  /** Samples per frame: 960 with frameLengthFlag (GASpecificConfig), else 1024. */
  readonly samplesPerFrame: number;
}

function readObjectType(r: BitReader): number {
  const t = r.bits(5);
  return t === 31 ? 32 + r.bits(6) : t;
}

function readRate(r: BitReader): { rate: number; index: number | undefined } {
  const index = r.bits(4);
  if (index === 0xf) return { rate: r.bits(24), index: undefined };
  const rate = AAC_SAMPLE_RATES[index];
  if (rate === undefined) throw new RemuxError('ERR_REMUX_AAC_CONFIG', `samplingFrequencyIndex ${index} is reserved (valid 0..12, 15)`);
  return { rate, index };
}

/** Parses an AudioSpecificConfig (14496-3 1.6.2.1) incl. escape object types and explicit frequencies. */
export function parseAudioSpecificConfig(data: Uint8Array): AudioSpecificConfig {
  if (data.length < 2) throw new RemuxError('ERR_REMUX_AAC_CONFIG', `AudioSpecificConfig length ${data.length} is below the minimum 2`);
  const r = new BitReader(data);
  const objectType = readObjectType(r);
  if (objectType === 0) throw new RemuxError('ERR_REMUX_AAC_CONFIG', 'audioObjectType 0 is null');
  const core = readRate(r);
  const channelConfig = r.bits(4);
  let coreObjectType = objectType;
  let extensionSampleRate: number | undefined;
  if (objectType === 5 || objectType === 29) {
    extensionSampleRate = readRate(r).rate;
    coreObjectType = readObjectType(r);
  }
  const rateIndex = core.index ?? AAC_SAMPLE_RATES.indexOf(core.rate);
  let samplesPerFrame = 1024;
  // GASpecificConfig frameLengthFlag (4.4.1) for the general-audio object types
  if ([1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23].includes(coreObjectType) && r.remaining > 0) {
    if (r.bit()) samplesPerFrame = 960;
  }
  return {
    objectType,
    sampleRate: core.rate,
    sampleRateIndex: rateIndex >= 0 ? rateIndex : undefined,
    channelConfig,
    coreObjectType,
    extensionSampleRate,
    samplesPerFrame,
  };
}

/** RFC 6381 3.3 codec string `mp4a.40.<audioObjectType>`. */
export function aacCodecString(asc: Pick<AudioSpecificConfig, 'objectType'>): string {
  return `mp4a.40.${asc.objectType}`;
}

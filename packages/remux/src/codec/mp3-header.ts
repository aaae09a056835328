import { RemuxError } from '../errors.js';

/** An MPEG audio frame header (ISO/IEC 11172-3 2.4.1.3, 13818-3 for MPEG-2 and the 2.5 extension). */
export interface Mp3Header {
  /** 1 (MPEG-1), 2 (MPEG-2 LSF) or 2.5. */
  readonly version: 1 | 2 | 2.5;
  readonly layer: 1 | 2 | 3;
  readonly bitrateKbps: number;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly samplesPerFrame: number;
  /** Frame size in bytes incl. header and padding (0 for the free format). */
  readonly frameLength: number;
}

const RATES_V1 = [44100, 48000, 32000];
const BITRATES: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};

function fail(msg: string): never {
  throw new RemuxError('ERR_REMUX_MP3_HEADER', `MPEG audio header: ${msg}`);
}

/** Parses the 4-byte MPEG audio frame header at `offset`. */
export function parseMp3Header(data: Uint8Array, offset = 0): Mp3Header {
  if (data.length - offset < 4) fail(`${data.length - offset} bytes, need 4`);
  const b1 = data[offset + 1] as number;
  const b2 = data[offset + 2] as number;
  const b3 = data[offset + 3] as number;
  if (data[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) fail(`no frame sync at ${offset}`);
  const v = (b1 >> 3) & 3;
  if (v === 1) fail('version id 01 is reserved');
  const version = v === 3 ? 1 : v === 2 ? 2 : 2.5;
  const l = (b1 >> 1) & 3;
  if (l === 0) fail('layer 00 is reserved');
  const layer = (4 - l) as 1 | 2 | 3;
  const bitrateIndex = b2 >> 4;
  if (bitrateIndex === 15) fail('bitrate index 15 is invalid');
  const rateIndex = (b2 >> 2) & 3;
  if (rateIndex === 3) fail('sampling frequency index 3 is reserved');
  const sampleRate = (RATES_V1[rateIndex] as number) / (version === 1 ? 1 : version === 2 ? 2 : 4);
  const table = version === 1 ? `1-${layer}` : layer === 1 ? '2-1' : '2-2';
  const bitrateKbps = (BITRATES[table] as readonly number[])[bitrateIndex] as number;
  const padding = (b2 >> 1) & 1;
  const channels = (b3 >> 6) === 3 ? 1 : 2;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
  let frameLength = 0;
  if (bitrateKbps > 0) {
    frameLength =
      layer === 1
        ? (Math.floor((12 * bitrateKbps * 1000) / sampleRate) + padding) * 4
        : Math.floor(((samplesPerFrame / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  }
  return { version, layer, bitrateKbps, sampleRate, channels, samplesPerFrame, frameLength };
}

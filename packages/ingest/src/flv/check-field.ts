import { IngestError } from '../errors.js';

/** Throws ERR_FLV_BAD_TAG unless `value` is an integer in [min, max]: the builders' guard for FLV bit fields (FLV 10.1 E.4). */
export function checkField(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new IngestError('ERR_FLV_BAD_TAG', `${what} ${value} out of range ${min}..${max}`);
  }
}

/** Smallest and largest SI24 CompositionTime (FLV 10.1 E.4.3.1; E-RTMP v2 ExVideoTagBody). */
export const SI24_MIN = -0x800000;
export const SI24_MAX = 0x7fffff;

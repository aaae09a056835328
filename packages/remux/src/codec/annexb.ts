import { RemuxError } from '../errors.js';
import { type ByteChunks, emptyChunks, pushChunk } from './byte-chunks.js';

/** Upper bound on NAL units in one access unit (a slice per macroblock row of 8K is ~270; this leaves room). */
export const MAX_NALUS_PER_ACCESS_UNIT = 1024;

/** Annex B start code (ISO/IEC 14496-10 B.1.1); shared, never written to. */
const START_CODE = Uint8Array.of(0, 0, 0, 1);
/** H.264 access unit delimiter, primary_pic_type 7 (any slice type) (14496-10 7.3.2.4). */
const AVC_AUD = Uint8Array.of(0x09, 0xf0);
/** H.265 access unit delimiter: type 35, nuh_temporal_id_plus1 1, pic_type 2 (H.265 7.3.2.5). */
const HEVC_AUD = Uint8Array.of(0x46, 0x01, 0x50);

/** What `toAnnexB` needs besides the payload. */
export interface AnnexBOptions {
  readonly codec: 'avc' | 'hevc';
  /** NALUnitLength size from the decoder configuration record (1, 2 or 4). */
  readonly lengthSize: number;
  /** Insert the parameter sets in front of this access unit (a keyframe) unless it carries an SPS. */
  readonly keyframe: boolean;
  /** Parameter sets in decoding order: AVC SPS, PPS; HEVC VPS, SPS, PPS. */
  readonly parameterSets: readonly Uint8Array[];
}

function nalType(codec: 'avc' | 'hevc', nal: Uint8Array): number {
  const b = nal[0] as number;
  return codec === 'avc' ? b & 0x1f : (b >> 1) & 0x3f;
}

/** Splits length-prefixed NAL units (14496-15 5.3.2 / 8.3.2 sample format) into subarrays of `payload`. */
export function splitLengthPrefixed(payload: Uint8Array, lengthSize: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < payload.length) {
    if (p + lengthSize > payload.length) {
      throw new RemuxError('ERR_REMUX_NALU', `NAL unit length field (${lengthSize} bytes) at ${p} runs past the ${payload.length}-byte payload`);
    }
    let len = 0;
    for (let i = 0; i < lengthSize; i++) len = len * 256 + (payload[p + i] as number);
    p += lengthSize;
    if (len > payload.length - p) {
      throw new RemuxError('ERR_REMUX_NALU', `NAL unit length ${len} at ${p} exceeds the ${payload.length - p} bytes left`);
    }
    if (len > 0) {
      if (out.length >= MAX_NALUS_PER_ACCESS_UNIT) {
        throw new RemuxError('ERR_REMUX_NALU', `NAL unit count exceeds the limit ${MAX_NALUS_PER_ACCESS_UNIT}`);
      }
      out.push(payload.subarray(p, p + len));
    }
    p += len;
  }
  return out;
}

/**
 * Length-prefixed access unit to Annex B byte stream (14496-10 B.1, H.265 B.2): an AUD first
 * (7.4.1.2.3 ordering), then parameter sets on keyframes that lack them, then the NAL units.
 * The result references `payload`; nothing is copied.
 */
export function toAnnexB(payload: Uint8Array, opts: AnnexBOptions): ByteChunks {
  const nals = splitLengthPrefixed(payload, opts.lengthSize);
  const audType = opts.codec === 'avc' ? 9 : 35;
  const spsType = opts.codec === 'avc' ? 7 : 33;
  let hasSps = false;
  for (const n of nals) if (nalType(opts.codec, n) === spsType) hasSps = true;
  const out = emptyChunks();
  let i = 0;
  const first = nals[0];
  pushChunk(out, START_CODE);
  if (first !== undefined && nalType(opts.codec, first) === audType) {
    pushChunk(out, first);
    i = 1;
  } else {
    pushChunk(out, opts.codec === 'avc' ? AVC_AUD : HEVC_AUD);
  }
  if (opts.keyframe && !hasSps) {
    for (const ps of opts.parameterSets) {
      pushChunk(out, START_CODE);
      pushChunk(out, ps);
    }
  }
  for (; i < nals.length; i++) {
    const n = nals[i] as Uint8Array;
    if (nalType(opts.codec, n) === audType) continue; // a second AUD would start a new access unit
    pushChunk(out, START_CODE);
    pushChunk(out, n);
  }
  return out;
}

/**
 * Every error the remux package throws. Parsers throw a RemuxError; the owner
 * (a segmenter, a connection) decides what to do (count, log once, drop or close).
 */
export type RemuxErrorCode =
  // bit-level reading (codec/bit-reader.ts)
  | 'ERR_REMUX_TRUNCATED'
  // codec configuration records and parameter sets (codec/)
  | 'ERR_REMUX_AVC_CONFIG'
  | 'ERR_REMUX_AVC_SPS'
  | 'ERR_REMUX_HEVC_CONFIG'
  | 'ERR_REMUX_HEVC_SPS'
  | 'ERR_REMUX_NALU'
  | 'ERR_REMUX_AAC_CONFIG'
  | 'ERR_REMUX_AAC_UNSUPPORTED'
  | 'ERR_REMUX_MP3_HEADER'
  // FLV tags (flv/)
  | 'ERR_REMUX_FLV'
  // MPEG-TS muxing (mpegts/)
  | 'ERR_REMUX_FRAME_TOO_LARGE'
  | 'ERR_REMUX_TS'
  // HLS segmenting (hls/)
  | 'ERR_REMUX_UNSUPPORTED_CODEC'
  | 'ERR_REMUX_NO_CONFIG';

/** An error raised by livegate's remux code; `code` is stable, `message` names the value and the limit. */
export class RemuxError extends Error {
  readonly code: RemuxErrorCode;
  constructor(code: RemuxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RemuxError';
    this.code = code;
  }
}

/** True when `e` is one of this package's errors (as opposed to a programming error). */
export function isRemuxError(e: unknown): e is RemuxError {
  return e instanceof RemuxError;
}

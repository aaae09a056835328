/**
 * Every error the ingest package throws. Parsers throw an IngestError; the
 * connection that owns the parser decides what to do (log once, close).
 */
export type IngestErrorCode =
  // AMF0 / AMF3 (amf/)
  | 'ERR_AMF_TRUNCATED'
  | 'ERR_AMF_UNKNOWN_MARKER'
  | 'ERR_AMF_DEPTH'
  | 'ERR_AMF_TOO_LARGE'
  | 'ERR_AMF_BAD_REFERENCE'
  | 'ERR_AMF_UNSUPPORTED'
  // handshake (handshake/)
  | 'ERR_HANDSHAKE_VERSION'
  | 'ERR_HANDSHAKE_DIGEST'
  | 'ERR_HANDSHAKE_TIMEOUT'
  // chunk stream (chunk/)
  | 'ERR_RTMP_MESSAGE_TOO_LARGE'
  | 'ERR_RTMP_CHUNK_SIZE'
  | 'ERR_RTMP_TOO_MANY_CHUNK_STREAMS'
  | 'ERR_RTMP_BAD_CHUNK'
  // messages and commands (message/, session/)
  | 'ERR_RTMP_BAD_MESSAGE'
  | 'ERR_RTMP_BAD_COMMAND'
  | 'ERR_RTMP_PROTOCOL'
  // FLV tags (flv/)
  | 'ERR_FLV_TRUNCATED'
  | 'ERR_FLV_BAD_TAG'
  // bus (bus/)
  | 'ERR_STREAM_TAKEN'
  | 'ERR_STREAM_LIMIT'
  // client (client/)
  | 'ERR_CLIENT_REFUSED'
  | 'ERR_CLIENT_TIMEOUT'
  | 'ERR_CLIENT_CLOSED';

/** An error raised by livegate's ingest code; `code` is stable, `message` names the value and the limit. */
export class IngestError extends Error {
  readonly code: IngestErrorCode;
  constructor(code: IngestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
    this.code = code;
  }
}

/** True when `e` is one of this package's errors (as opposed to a programming error). */
export function isIngestError(e: unknown): e is IngestError {
  return e instanceof IngestError;
}

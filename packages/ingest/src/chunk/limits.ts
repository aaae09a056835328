/** Limits and fixed sizes of the chunk stream layer (Adobe RTMP specification 1.0, section 5.3). */

/** Chunk size both directions start with until a Set Chunk Size arrives (spec 5.4.1). */
export const DEFAULT_CHUNK_SIZE = 128;

/** Largest chunk size the spec allows: a 31-bit value, the top bit MUST be zero (spec 5.4.1). */
export const MAX_CHUNK_SIZE = 0x7fffffff;

/** Largest payload length a message header can declare: a 24-bit field (spec 5.3.1.2.1). */
export const MAX_WIRE_MESSAGE_LENGTH = 0xffffff;

/** Lowest chunk stream id a chunk can carry: 0 and 1 select the 2- and 3-byte basic headers (spec 5.3.1.1). */
export const MIN_CSID = 2;

/** Highest chunk stream id: the 3-byte basic header carries 64 + 255 + 255 * 256 (spec 5.3.1.1). */
export const MAX_CSID = 65599;

/** Largest chunk header: 3-byte basic header + 11-byte type 0 message header + 4-byte extended timestamp (spec 5.3.1). */
export const MAX_CHUNK_HEADER_SIZE = 18;

/**
 * Default largest message the reader reassembles. gortmplib uses 10 MiB for the same bound;
 * a 4K keyframe is a few MiB, while the 24-bit length field alone would allow 16 MiB per message.
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024;

/**
 * Default number of chunk streams a peer may open. Encoders use a handful (ffmpeg: 2-8, OBS: 2-6,
 * FMLE: 2-8); each stream keeps header state, so a peer cycling through 65 598 ids is refused.
 */
export const DEFAULT_MAX_CHUNK_STREAMS = 64;

/** Options of ChunkReader; every buffer it keeps is bounded by one of these. */
export interface ChunkReaderLimits {
  /** A message header declaring a longer payload is refused before any byte of it is kept. */
  maxMessageSize: number;
  /** A chunk on a new chunk stream id past this many is refused. */
  maxChunkStreams: number;
  /**
   * Bytes kept across all partially received messages (interleaved chunk streams each hold one).
   * Defaults to 2 x maxMessageSize: one large message in flight plus everything interleaved with it.
   */
  maxBufferedBytes: number;
}

import type { RemuxError } from '../errors.js';
import type { PlaylistSegment } from './media-playlist.js';
import type { SegmentWriterFactory } from './segment-writer.js';

/** Default segment length: a segment is cut at the first keyframe at or after this (Apple recommends 6 s; livegate favours latency). */
export const DEFAULT_TARGET_DURATION_MS = 2000;
/** Default sliding window: segments listed in the live playlist (RFC 8216 6.2.2 asks for >= 3 × target duration). */
export const DEFAULT_PLAYLIST_LENGTH = 6;
/** Segments kept after they leave the playlist, for players that loaded the previous playlist (RFC 8216 6.2.2). */
export const DEFAULT_GRACE_SEGMENTS = 2;
/** Force-cut an open segment at this size so a stream without keyframes cannot grow memory. */
export const DEFAULT_MAX_SEGMENT_BYTES = 32 * 1024 * 1024;
/** Force-cut an open segment at this duration (a 10 s GOP still fits; a keyframe-less stream does not grow). */
export const DEFAULT_MAX_SEGMENT_DURATION_MS = 30_000;
/** A per-track DTS step back by more than this is a timestamp jump (smaller steps are encoder jitter, passed through). */
export const JUMP_BACKWARD_TOLERANCE_MS = 100;
/** A per-track DTS step forward by more than this is a timestamp jump. */
export const JUMP_FORWARD_LIMIT_MS = 10_000;

/** A completed segment, as reported to `onSegment`. */
export interface SegmentEvent extends PlaylistSegment {
  /** The segment ended by the size/duration bound, not at a keyframe; the next one may not start with one. */
  readonly forced: boolean;
}

/** Options of an HlsSegmenter; every field is optional. */
export interface HlsSegmenterOptions {
  /** Cut at the first keyframe (audio-only: frame) once a segment is this long. Default 2000. */
  readonly targetDurationMs?: number;
  /** Segments listed in the playlist. Default 6. */
  readonly playlistLength?: number;
  /** Extra segments kept for download after they left the playlist. Default 2. */
  readonly graceSegments?: number;
  readonly maxSegmentBytes?: number;
  readonly maxSegmentDurationMs?: number;
  /** Segment name prefix; names are `<prefix><sequence>.<ext>`. Default `seg-`. */
  readonly segmentPrefix?: string;
  /** Wall clock in ms since the epoch for EXT-X-PROGRAM-DATE-TIME; without it the tag is omitted. */
  readonly now?: () => number;
  /** Container format. Default MPEG-TS. */
  readonly writerFactory?: SegmentWriterFactory;
  /** Called after each segment is listed. */
  readonly onSegment?: (segment: SegmentEvent) => void;
  /** Called the first time each error code makes the segmenter drop a message (then only counted). */
  readonly onError?: (error: RemuxError) => void;
}

/** Counters for metrics. */
export interface HlsSegmenterStats {
  readonly segmentsProduced: number;
  readonly bytesProduced: number;
  readonly forcedCuts: number;
  readonly discontinuities: number;
  readonly timestampJumps: number;
  /** Frames dropped before a segment could start (waiting for configs / a keyframe). */
  readonly skippedFrames: number;
  /** Messages dropped because they failed to parse or mux. */
  readonly errors: number;
  readonly retainedSegments: number;
  readonly retainedBytes: number;
  readonly pendingBytes: number;
}

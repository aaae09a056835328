/** Limits of the stream bus. Every buffer the bus keeps is bounded by one of these. */
export interface BusLimits {
  /**
   * GOP cache bound in bytes. A 1080p60 stream at 8 Mb/s with a 2 s GOP is ~2 MiB; 16 MiB
   * leaves room for long GOPs while bounding a broken encoder that never sends a keyframe.
   */
  gopCacheMaxBytes: number;
  /** GOP cache bound in media time: past this many ms without a keyframe the cache is dropped. */
  gopCacheMaxMs: number;
  /**
   * A subscriber whose sink holds more than this many unsent bytes is behind: it skips to the
   * next keyframe. The bytes are references to shared bodies, not copies.
   */
  subscriberMaxBacklogBytes: number;
  /** A subscriber that stays behind for this long (ms) is closed. */
  subscriberMaxBehindMs: number;
  /**
   * Longest frames may wait for a fan-out's pass over its viewers (ms) before the stream sheds
   * frames to the next keyframe for all of them (the process is past its capacity).
   */
  fanoutMaxLagMs: number;
  /** Live streams at once (publishers). */
  maxStreams: number;
  /** Subscribers per stream. */
  maxSubscribersPerStream: number;
}

/** Defaults sized for this machine class (2 cores, a few thousand viewers). */
export const DEFAULT_BUS_LIMITS: BusLimits = {
  gopCacheMaxBytes: 16 * 1024 * 1024,
  gopCacheMaxMs: 15_000,
  subscriberMaxBacklogBytes: 4 * 1024 * 1024,
  subscriberMaxBehindMs: 10_000,
  fanoutMaxLagMs: 1_000,
  maxStreams: 1000,
  maxSubscribersPerStream: 10_000,
};

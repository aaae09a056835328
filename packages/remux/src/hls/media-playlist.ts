/** One media segment as the playlist lists it (RFC 8216 3, 4.3.2). */
export interface PlaylistSegment {
  /** Media sequence number (RFC 8216 6.2.1), unique for the life of the stream. */
  readonly sequence: number;
  readonly uri: string;
  /** Duration in whole ms (EXTINF, 4.3.2.1). */
  readonly durationMs: number;
  /** EXT-X-DISCONTINUITY precedes this segment (4.3.2.3). */
  readonly discontinuity: boolean;
  /** EXT-X-PROGRAM-DATE-TIME of the first sample, ms since the epoch (4.3.2.6), if a clock was injected. */
  readonly programDateTimeMs: number | undefined;
  readonly bytes: number;
}

/** Playlist-wide settings. */
export interface MediaPlaylistOptions {
  /** Segments listed at once (the sliding window, RFC 8216 6.2.2). */
  readonly window: number;
  /** EXT-X-VERSION (4.3.1.2). */
  readonly version: number;
}

/**
 * A live media playlist as data (RFC 8216 4.3.3): a sliding window of segments with media and
 * discontinuity sequence numbers and a target duration that never decreases. Rendering is separate.
 */
export class MediaPlaylist {
  readonly window: number;
  version: number;
  private list: PlaylistSegment[] = [];
  private target = 0;
  private discontinuitySeq = 0;
  private isEnded = false;

  constructor(o: MediaPlaylistOptions) {
    this.window = o.window;
    this.version = o.version;
  }

  /** The listed segments, oldest first. */
  get segments(): readonly PlaylistSegment[] {
    return this.list;
  }

  /** EXT-X-TARGETDURATION in seconds: ceiling of the longest segment ever listed (4.3.3.1), at least 1. */
  get targetDuration(): number {
    return Math.max(1, this.target);
  }

  /** EXT-X-MEDIA-SEQUENCE: sequence of the first listed segment (4.3.3.2). */
  get mediaSequence(): number {
    return this.list[0]?.sequence ?? 0;
  }

  /** EXT-X-DISCONTINUITY-SEQUENCE: discontinuity tags that have slid out (4.3.3.3). */
  get discontinuitySequence(): number {
    return this.discontinuitySeq;
  }

  /** EXT-X-ENDLIST is present (4.3.3.4). */
  get ended(): boolean {
    return this.isEnded;
  }

  /** Appends a segment and slides the window; returns the segments that left the playlist. */
  append(seg: PlaylistSegment): PlaylistSegment[] {
    this.list.push(seg);
    this.target = Math.max(this.target, Math.ceil(seg.durationMs / 1000));
    const removed = this.list.length > this.window ? this.list.splice(0, this.list.length - this.window) : [];
    for (const r of removed) if (r.discontinuity) this.discontinuitySeq++;
    return removed;
  }

  /** Marks the stream finished (adds EXT-X-ENDLIST) or live again. */
  setEnded(ended: boolean): void {
    this.isEnded = ended;
  }
}

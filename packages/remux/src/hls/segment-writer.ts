import type { AudioMessage, VideoMessage } from '@livegate/ingest';
import type { AudioTrack, MediaTracks, VideoTrack } from './tracks.js';

/**
 * One segment container format (MPEG-TS now; fMP4/CMAF next). The segmenter decides where segments
 * start and end; the writer only turns media frames into bytes. A writer is created per track set
 * and reused for every segment of that set.
 */
export interface SegmentWriter {
  /** Segment file extension without the dot (`ts`, `m4s`). */
  readonly extension: string;
  /** Lowest EXT-X-VERSION the format needs (RFC 8216 7: 3 for TS with decimal EXTINF, 6/7 for fMP4). */
  readonly playlistVersion: number;
  /** The initialization section for EXT-X-MAP (RFC 8216 4.3.2.5), or undefined when segments are self-contained (TS). */
  initSection(): Buffer | undefined;
  /** Opens a segment; `discontinuity` marks a timeline break inside the container where it can say so. */
  begin(discontinuity: boolean): void;
  /** Adds a video frame (`packet === 'frame'`). */
  writeVideo(msg: VideoMessage, track: VideoTrack): void;
  /** Adds an audio frame (`packet === 'frame'`). */
  writeAudio(msg: AudioMessage, track: AudioTrack): void;
  /** Bytes held by the open segment so far (for the size bound). */
  readonly pendingBytes: number;
  /** Closes the segment and returns its bytes. */
  finish(): Buffer;
}

/** Makes a writer for a track set (e.g. `(t) => new TsSegmentWriter(t)`). */
export type SegmentWriterFactory = (tracks: Readonly<MediaTracks>) => SegmentWriter;

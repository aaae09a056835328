import type { MediaMessage } from '@livegate/ingest';
import { flvHeader } from './flv-header.js';
import { encodeTag, FlvTagType, type FlvTagTypeValue } from './flv-tag.js';
import { stripSetDataFrame } from './set-data-frame.js';

/** What the stream carries, announced in the FLV header (FLV 10.1 E.2). */
export interface FlvViewerMuxerOptions {
  readonly hasAudio: boolean;
  readonly hasVideo: boolean;
}

type Track = 'audio' | 'video' | 'data';

/**
 * One HTTP-FLV viewer's byte stream (FLV 10.1 E.2-E.4): feed it MediaMessages in the order the bus
 * gives a new subscriber (onMetaData, video config, audio config, the cached GOP from a keyframe,
 * then live messages) and write what `push` returns (`[header11, body, prevTagSize4]` per tag; the
 * bus `body` is shared, never copied).
 *
 * Timestamps are rebased per viewer: the first audio/video message that is not a config, end or
 * metadata packet is 0; everything before it (metadata, configs) is 0; later messages are clamped
 * to >= 0 and never go backwards per track (audio a few ms older than the first keyframe becomes 0).
 * Video frames before the first keyframe are dropped; audio/video for a track the header does not
 * announce is dropped; sequence headers that change mid-stream pass through; `@setDataFrame` is stripped.
 */
export class FlvViewerMuxer {
  private readonly options: FlvViewerMuxerOptions;
  private headerWritten = false;
  private base: number | undefined;
  private videoStarted = false;
  private readonly last: Record<Track, number> = { audio: 0, video: 0, data: 0 };
  private droppedCount = 0;

  constructor(options: FlvViewerMuxerOptions) {
    this.options = options;
  }

  /** The FLV header + PreviousTagSize0 (13 bytes); `push` prepends it if it was not taken first. */
  header(): Buffer {
    this.headerWritten = true;
    return flvHeader({ audio: this.options.hasAudio, video: this.options.hasVideo });
  }

  /** Messages dropped so far (video before the first keyframe, tracks the header does not announce). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** The Buffers to write for one message (empty when dropped); FLV tags per FLV 10.1 E.4.1. */
  push(m: MediaMessage): Buffer[] {
    const out: Buffer[] = this.headerWritten ? [] : [this.header()];
    if (m.kind === 'data') {
      out.push(...encodeTag(FlvTagType.Script, this.rebase(m.dts, 'data', false), stripSetDataFrame(m.body)));
      return out;
    }
    const type: FlvTagTypeValue = m.kind === 'video' ? FlvTagType.Video : FlvTagType.Audio;
    if (!(m.kind === 'video' ? this.options.hasVideo : this.options.hasAudio) || !this.admit(m)) {
      this.droppedCount += 1;
      return out;
    }
    const startsTimeline = m.packet === 'frame' || m.packet === 'other';
    out.push(...encodeTag(type, this.rebase(m.dts, m.kind, startsTimeline), m.body));
    return out;
  }

  /** Video frames (and end-of-sequence) wait for the first keyframe; everything else passes. */
  private admit(m: MediaMessage): boolean {
    if (m.kind !== 'video' || this.videoStarted) return true;
    if (m.packet === 'frame') {
      if (!m.keyframe) return false;
      this.videoStarted = true;
      return true;
    }
    return m.packet !== 'end';
  }

  /** The viewer's timestamp for `dts`: 0 before the timeline starts, then dts - base, >= 0, monotonic per track. */
  private rebase(dts: number, track: Track, startsTimeline: boolean): number {
    if (this.base === undefined) {
      if (!startsTimeline) return 0;
      this.base = dts;
    }
    const ts = Math.max(0, dts - this.base, this.last[track]);
    this.last[track] = ts;
    return ts;
  }
}

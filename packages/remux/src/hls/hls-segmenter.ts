import type { AudioMessage, DataMessage, MediaMessage, VideoMessage } from '@livegate/ingest';
import { isRemuxError, RemuxError } from '../errors.js';
import { MediaPlaylist } from './media-playlist.js';
import { renderMediaPlaylist } from './render-playlist.js';
import type { SegmentWriter, SegmentWriterFactory } from './segment-writer.js';
import { SegmentStore } from './segment-store.js';
import {
  DEFAULT_GRACE_SEGMENTS,
  DEFAULT_MAX_SEGMENT_BYTES,
  DEFAULT_MAX_SEGMENT_DURATION_MS,
  DEFAULT_PLAYLIST_LENGTH,
  DEFAULT_TARGET_DURATION_MS,
  type HlsSegmenterOptions,
  type HlsSegmenterStats,
  JUMP_BACKWARD_TOLERANCE_MS,
  JUMP_FORWARD_LIMIT_MS,
} from './segmenter-options.js';
import { audioTrackFrom, type AudioTrack, type MediaTracks, type VideoTrack, videoTrackFromConfig } from './tracks.js';
import { TsSegmentWriter } from './ts-segment-writer.js';

interface OpenSegment {
  readonly startDts: number;
  readonly programDateTimeMs: number | undefined;
  readonly discontinuity: boolean;
}

/** onMetaData videocodecid values HLS can carry: AVC (7), HEVC (12) and the Enhanced RTMP FourCCs. */
const HLS_VIDEO_CODEC_IDS = new Set<unknown>([7, 12, 'avc1', 'hvc1']);

/**
 * Live HLS for one stream key (RFC 8216): fed the MediaMessages of successive publishes in order,
 * it cuts segments at keyframes once the target duration is reached (audio-only: at any frame),
 * keeps a sliding playlist and the segment bytes (window + grace), and survives republishes
 * with EXT-X-DISCONTINUITY and never-reused sequence numbers. Pure: the clock is injected.
 */
export class HlsSegmenter {
  private readonly targetMs: number;
  private readonly maxBytes: number;
  private readonly maxDurationMs: number;
  private readonly prefix: string;
  private readonly now: (() => number) | undefined;
  private readonly factory: SegmentWriterFactory;
  private readonly opts: HlsSegmenterOptions;
  private readonly model: MediaPlaylist;
  private readonly store: SegmentStore;
  private tracks: MediaTracks = { video: undefined, audio: undefined };
  private expectVideo = false;
  private writer: SegmentWriter | undefined;
  private writerHasVideo = false;
  private writerHasAudio = false;
  private open: OpenSegment | undefined;
  private nextSequence = 0;
  private pendingDiscontinuity = false;
  private lastVideoDts: number | undefined;
  private lastAudioDts: number | undefined;
  private lastClockDts: number | undefined;
  private clockFrameMs = 0;
  private rendered: string | undefined;
  private readonly reported = new Set<string>();
  private readonly counts = { segmentsProduced: 0, bytesProduced: 0, forcedCuts: 0, discontinuities: 0, timestampJumps: 0, skippedFrames: 0, errors: 0 };

  constructor(options: HlsSegmenterOptions = {}) {
    this.opts = options;
    this.targetMs = options.targetDurationMs ?? DEFAULT_TARGET_DURATION_MS;
    this.maxBytes = options.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
    this.maxDurationMs = Math.max(options.maxSegmentDurationMs ?? DEFAULT_MAX_SEGMENT_DURATION_MS, this.targetMs);
    this.prefix = options.segmentPrefix ?? 'seg-';
    this.now = options.now;
    this.factory = options.writerFactory ?? ((t) => new TsSegmentWriter(t));
    const window = options.playlistLength ?? DEFAULT_PLAYLIST_LENGTH;
    if (!(this.targetMs > 0) || !(window >= 1)) {
      throw new RangeError(`HLS target duration ${this.targetMs} ms must be > 0 and playlist length ${window} >= 1`);
    }
    this.model = new MediaPlaylist({ window, version: 3 });
    this.store = new SegmentStore(window + (options.graceSegments ?? DEFAULT_GRACE_SEGMENTS));
  }

  /** Feeds one message. Malformed or unsupported media is dropped and counted (reported once per code via onError). */
  push(msg: MediaMessage): void {
    try {
      if (msg.kind === 'data') this.onData(msg);
      else {
        if (this.model.ended) this.reopen();
        if (msg.kind === 'video') this.onVideo(msg);
        else this.onAudio(msg);
      }
    } catch (e) {
      if (!isRemuxError(e)) throw e;
      this.counts.errors++;
      if (!this.reported.has(e.code)) {
        this.reported.add(e.code);
        this.opts.onError?.(e);
      }
    }
  }

  /** The publisher restarted (or timestamps reset): close the open segment; the next one carries EXT-X-DISCONTINUITY. */
  discontinuity(): void {
    this.closeAtLastFrame();
    this.resetPublish();
    if (this.nextSequence > 0) this.pendingDiscontinuity = true;
  }

  /** The publish ended: close the open segment and add EXT-X-ENDLIST. A later publish reopens the playlist. */
  end(): void {
    this.closeAtLastFrame();
    this.resetPublish();
    if (this.nextSequence > 0) this.pendingDiscontinuity = true;
    this.model.setEnded(true);
    this.rendered = undefined;
  }

  /** The media playlist text, or undefined until the first segment exists. */
  playlist(): string | undefined {
    if (this.model.segments.length === 0) return undefined;
    this.rendered ??= renderMediaPlaylist(this.model);
    return this.rendered;
  }

  /** A segment's bytes by name (`seg-12.ts`), while it is listed or within the grace window. */
  segment(name: string): Buffer | undefined {
    return this.store.get(name);
  }

  /** The current tracks (codec strings, resolution) for a multivariant playlist. */
  get mediaTracks(): Readonly<MediaTracks> {
    return this.tracks;
  }

  /** Counters for metrics. */
  get stats(): HlsSegmenterStats {
    return {
      ...this.counts,
      retainedSegments: this.store.count,
      retainedBytes: this.store.bytes,
      pendingBytes: this.writer !== undefined && this.open !== undefined ? this.writer.pendingBytes : 0,
    };
  }

  private onData(msg: DataMessage): void {
    if (msg.name !== 'onMetaData' || this.open !== undefined) return;
    const meta = msg.args[0];
    const get = (k: string): unknown =>
      meta instanceof Map ? meta.get(k) : meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>)[k] : undefined;
    if (HLS_VIDEO_CODEC_IDS.has(get('videocodecid'))) this.expectVideo = true;
  }

  private onVideo(msg: VideoMessage): void {
    if (msg.codec !== 'avc' && msg.codec !== 'hevc') {
      throw new RemuxError('ERR_REMUX_UNSUPPORTED_CODEC', `video codec '${msg.codec}' cannot go into MPEG-TS HLS (supported: avc, hevc)`);
    }
    if (msg.packet === 'config') {
      this.setVideoTrack(videoTrackFromConfig(msg));
      return;
    }
    if (msg.packet !== 'frame') return;
    const track = this.tracks.video;
    if (track === undefined || track.codec !== msg.codec) {
      throw new RemuxError('ERR_REMUX_NO_CONFIG', `${msg.codec} frame at ${msg.dts} ms before its decoder configuration record`);
    }
    this.checkJump(this.lastVideoDts, msg.dts);
    this.lastVideoDts = msg.dts;
    if (this.open === undefined) {
      if (!msg.keyframe) {
        this.counts.skippedFrames++;
        return;
      }
      this.startSegment(msg.dts);
    } else if (this.writerHasVideo) {
      this.maybeCut(msg.dts, msg.keyframe);
    }
    (this.writer as SegmentWriter).writeVideo(msg, track);
    if (this.writerHasVideo) this.advanceClock(msg.dts, undefined);
  }

  private onAudio(msg: AudioMessage): void {
    if (msg.codec !== 'aac' && msg.codec !== 'mp3') {
      throw new RemuxError('ERR_REMUX_UNSUPPORTED_CODEC', `audio codec '${msg.codec}' cannot go into MPEG-TS HLS (supported: aac, mp3)`);
    }
    if (msg.packet === 'config') {
      if (msg.codec === 'aac') this.setAudioTrack(audioTrackFrom(msg));
      return;
    }
    if (msg.packet !== 'frame' || msg.payload.length === 0) return;
    if (msg.codec === 'mp3' && this.tracks.audio?.codec !== 'mp3') this.setAudioTrack(audioTrackFrom(msg));
    const track = this.tracks.audio;
    if (track === undefined || track.codec !== msg.codec) {
      throw new RemuxError('ERR_REMUX_NO_CONFIG', `${msg.codec} frame at ${msg.dts} ms before its AudioSpecificConfig`);
    }
    this.checkJump(this.lastAudioDts, msg.dts);
    this.lastAudioDts = msg.dts;
    if (this.open === undefined) {
      if (this.tracks.video !== undefined || this.expectVideo) {
        this.counts.skippedFrames++; // a stream with video starts at a keyframe
        return;
      }
      this.startSegment(msg.dts);
    } else if (!this.writerHasVideo) {
      this.maybeCut(msg.dts, true);
    }
    if (!this.writerHasAudio) return;
    (this.writer as SegmentWriter).writeAudio(msg, track);
    if (!this.writerHasVideo) this.advanceClock(msg.dts, track);
  }

  private setVideoTrack(track: VideoTrack): void {
    const changed = this.tracks.video?.codec !== track.codec;
    this.tracks.video = track;
    this.expectVideo = true;
    if (changed && this.writer !== undefined) this.restartWriter();
  }

  private setAudioTrack(track: AudioTrack): void {
    const old = this.tracks.audio;
    const changed = old === undefined || old.codec !== track.codec || (old.codec === 'mp3' && track.codec === 'mp3' && old.mpeg1 !== track.mpeg1);
    this.tracks.audio = track;
    if (changed && this.writer !== undefined) this.restartWriter();
  }

  /** The track set changed under an open writer (new PMT): close the segment and restart with a discontinuity. */
  private restartWriter(): void {
    this.closeAtLastFrame();
    this.writer = undefined;
    if (this.nextSequence > 0) this.pendingDiscontinuity = true;
  }

  /** A per-track timestamp jump closes the open segment; the next one starts at a keyframe with a discontinuity. */
  private checkJump(last: number | undefined, dts: number): void {
    if (last === undefined || (dts >= last - JUMP_BACKWARD_TOLERANCE_MS && dts <= last + JUMP_FORWARD_LIMIT_MS)) return;
    this.counts.timestampJumps++;
    this.closeAtLastFrame();
    if (this.nextSequence > 0) this.pendingDiscontinuity = true;
    this.lastVideoDts = undefined;
    this.lastAudioDts = undefined;
  }

  private maybeCut(dts: number, randomAccess: boolean): void {
    const open = this.open as OpenSegment;
    const duration = dts - open.startDts;
    if (duration >= this.targetMs && randomAccess) {
      this.closeSegment(dts, false);
      this.startSegment(dts);
    } else if (duration >= this.maxDurationMs || (this.writer as SegmentWriter).pendingBytes >= this.maxBytes) {
      this.closeSegment(dts, true);
      this.startSegment(dts);
    }
  }

  private startSegment(dts: number): void {
    if (this.writer === undefined) {
      this.writer = this.factory(this.tracks);
      this.writerHasVideo = this.tracks.video !== undefined;
      this.writerHasAudio = this.tracks.audio !== undefined;
      this.model.version = this.writer.playlistVersion;
    }
    this.writer.begin(this.pendingDiscontinuity);
    this.open = { startDts: dts, programDateTimeMs: this.now?.(), discontinuity: this.pendingDiscontinuity };
    this.pendingDiscontinuity = false;
  }

  private advanceClock(dts: number, audio: AudioTrack | undefined): void {
    if (audio !== undefined) {
      this.clockFrameMs = (audio.samplesPerFrame * 1000) / audio.sampleRate;
    } else if (this.lastClockDts !== undefined && dts > this.lastClockDts && dts - this.lastClockDts < 1000) {
      this.clockFrameMs = dts - this.lastClockDts;
    } else if (this.lastClockDts === undefined && this.tracks.video?.fps !== undefined) {
      this.clockFrameMs = 1000 / this.tracks.video.fps;
    }
    this.lastClockDts = dts;
  }

  /** Closes the open segment at the end of its last frame (stream end, discontinuity, jump, track change). */
  private closeAtLastFrame(): void {
    if (this.open === undefined) return;
    this.closeSegment((this.lastClockDts ?? this.open.startDts) + this.clockFrameMs, false);
  }

  private closeSegment(endDts: number, forced: boolean): void {
    const open = this.open as OpenSegment;
    const writer = this.writer as SegmentWriter;
    this.open = undefined;
    const data = writer.finish();
    const durationMs = Math.round(endDts - open.startDts);
    if (durationMs <= 0) {
      // a lone frame of unknown duration: nothing a player could schedule; its discontinuity carries over
      this.pendingDiscontinuity ||= open.discontinuity;
      return;
    }
    if (forced) this.counts.forcedCuts++;
    if (open.discontinuity) this.counts.discontinuities++;
    const sequence = this.nextSequence++;
    const uri = `${this.prefix}${sequence}.${writer.extension}`;
    const seg = { sequence, uri, durationMs, discontinuity: open.discontinuity, programDateTimeMs: open.programDateTimeMs, bytes: data.length };
    this.store.add(uri, data);
    this.model.append(seg);
    this.rendered = undefined;
    this.counts.segmentsProduced++;
    this.counts.bytesProduced += data.length;
    this.opts.onSegment?.({ ...seg, forced });
  }

  private resetPublish(): void {
    this.tracks = { video: undefined, audio: undefined };
    this.expectVideo = false;
    this.writer = undefined;
    this.lastVideoDts = undefined;
    this.lastAudioDts = undefined;
    this.lastClockDts = undefined;
    this.clockFrameMs = 0;
  }

  private reopen(): void {
    this.model.setEnded(false);
    this.rendered = undefined;
  }
}

import type { ByteChunks } from '../codec/byte-chunks.js';
import type { AdtsParams } from '../codec/adts.js';
import { RemuxError } from '../errors.js';
import { AudioBatch, AUDIO_PES_MAX_BYTES } from './audio-batch.js';
import {
  PCR_LEAD_MS,
  PID_AUDIO,
  PID_PAT,
  PID_PMT,
  PID_VIDEO,
  PROGRAM_NUMBER,
  STREAM_ID_AUDIO,
  STREAM_ID_VIDEO,
  TICKS_PER_MS,
  TIMESTAMP_WRAP,
  TRANSPORT_STREAM_ID,
} from './constants.js';
import { ContinuityCounters } from './continuity.js';
import { PacketSink } from './packet-sink.js';
import { encodePatSection } from './pat.js';
import { writePes } from './pes-writer.js';
import { encodePmtSection } from './pmt.js';
import { writeSectionPacket } from './psi-packet.js';
import { msToPts90 } from './timestamp.js';

/** The elementary streams of the program, by stream_type (constants.ts); at least one. */
export interface TsStreams {
  readonly video?: number | undefined;
  readonly audio?: number | undefined;
}

/**
 * MPEG-TS muxer for one program (ISO/IEC 13818-1), written segment by segment: `beginSegment()`
 * emits PAT+PMT, media is packetized in place into a PacketSink, `endSegment()` returns the bytes.
 * Continuity counters run on across segments, so consecutive segments form one valid stream.
 * Audio frames are batched into PESs (audio-batch.ts); the PCR rides on the video PID (audio-only: audio PID).
 */
export class TsMuxer {
  readonly streams: TsStreams;
  private readonly sink = new PacketSink();
  private readonly counters = new ContinuityCounters();
  private readonly pat: Buffer;
  private readonly pmt: Buffer;
  private readonly pcrPid: number;
  private readonly audio = new AudioBatch();
  private lastPcr: number | undefined;
  private discontinuityPids = new Set<number>();
  private open = false;

  constructor(streams: TsStreams) {
    if (streams.video === undefined && streams.audio === undefined) {
      throw new RemuxError('ERR_REMUX_TS', 'a program needs at least one stream, got none');
    }
    this.streams = streams;
    this.pcrPid = streams.video !== undefined ? PID_VIDEO : PID_AUDIO;
    const es = [];
    if (streams.video !== undefined) es.push({ streamType: streams.video, pid: PID_VIDEO });
    if (streams.audio !== undefined) es.push({ streamType: streams.audio, pid: PID_AUDIO });
    this.pat = encodePatSection(TRANSPORT_STREAM_ID, PROGRAM_NUMBER, PID_PMT);
    this.pmt = encodePmtSection(PROGRAM_NUMBER, this.pcrPid, es);
  }

  /** Bytes of the open segment, including audio still batched. */
  get pendingBytes(): number {
    return this.sink.size + this.audio.payload.size;
  }

  /** Starts a segment with PAT then PMT; `discontinuity` sets discontinuity_indicator on each PID's first PES. */
  beginSegment(discontinuity = false): void {
    if (this.open) throw new RemuxError('ERR_REMUX_TS', 'beginSegment() while a segment is open');
    this.open = true;
    this.lastPcr = undefined;
    this.discontinuityPids = discontinuity ? new Set([PID_VIDEO, PID_AUDIO]) : new Set();
    writeSectionPacket(this.sink, this.counters, PID_PAT, this.pat);
    writeSectionPacket(this.sink, this.counters, PID_PMT, this.pmt);
  }

  /** Writes one Annex B access unit as one unbounded video PES; the first packet of a keyframe is a random access point. */
  writeVideo(au: ByteChunks, ptsMs: number, dtsMs: number, keyframe: boolean): void {
    this.requireOpen('writeVideo');
    if (this.streams.video === undefined) throw new RemuxError('ERR_REMUX_TS', 'writeVideo() on a program without video');
    writePes(
      this.sink,
      this.counters,
      {
        pid: PID_VIDEO,
        streamId: STREAM_ID_VIDEO,
        pts: msToPts90(ptsMs),
        dts: msToPts90(dtsMs),
        pcr: this.pcrPid === PID_VIDEO ? this.nextPcr(dtsMs) : undefined,
        randomAccess: keyframe,
        discontinuity: this.discontinuityPids.delete(PID_VIDEO),
        bounded: false,
      },
      au,
    );
  }

  /** Queues a raw AAC frame (an ADTS header is added); a full batch is written out first. */
  writeAac(raw: Uint8Array, ptsMs: number, adts: AdtsParams): void {
    this.requireOpen('writeAac');
    this.makeRoom(ptsMs, raw.length + 7);
    this.audio.addAac(raw, ptsMs, adts);
  }

  /** Queues MPEG-1/2 audio frames as they are (self-synchronising). */
  writeMpegAudio(frames: Uint8Array, ptsMs: number): void {
    this.requireOpen('writeMpegAudio');
    this.makeRoom(ptsMs, frames.length);
    this.audio.addRaw(frames, ptsMs);
  }

  /** Writes the batched audio frames as one bounded PES (no-op when empty). */
  flushAudio(): void {
    if (this.audio.frames === 0) return;
    const ptsMs = this.audio.ptsMs;
    writePes(
      this.sink,
      this.counters,
      {
        pid: PID_AUDIO,
        streamId: STREAM_ID_AUDIO,
        pts: msToPts90(ptsMs),
        dts: undefined,
        pcr: this.pcrPid === PID_AUDIO ? this.nextPcr(ptsMs) : undefined,
        randomAccess: true,
        discontinuity: this.discontinuityPids.delete(PID_AUDIO),
        bounded: true,
      },
      this.audio.payload,
    );
    this.audio.clear();
  }

  /** Flushes audio and returns the segment's packets as one Buffer. */
  endSegment(): Buffer {
    this.requireOpen('endSegment');
    this.flushAudio();
    this.open = false;
    return this.sink.finish();
  }

  private makeRoom(ptsMs: number, size: number): void {
    if (this.streams.audio === undefined) throw new RemuxError('ERR_REMUX_TS', 'audio written to a program without audio');
    if (size > AUDIO_PES_MAX_BYTES) {
      throw new RemuxError('ERR_REMUX_FRAME_TOO_LARGE', `audio frame of ${size} bytes exceeds the PES limit ${AUDIO_PES_MAX_BYTES}`);
    }
    if (this.audio.isFullFor(ptsMs, size)) this.flushAudio();
  }

  /** PCR base PCR_LEAD_MS behind `dtsMs`, never below the previous PCR of this segment (modulo the 33-bit wrap). */
  private nextPcr(dtsMs: number): number {
    let pcr = msToPts90(dtsMs) - PCR_LEAD_MS * TICKS_PER_MS;
    if (pcr < 0) pcr += TIMESTAMP_WRAP;
    const last = this.lastPcr;
    if (last !== undefined && pcr < last && last - pcr < TIMESTAMP_WRAP / 2) pcr = last;
    this.lastPcr = pcr;
    return pcr;
  }

  private requireOpen(what: string): void {
    if (!this.open) throw new RemuxError('ERR_REMUX_TS', `${what}() with no open segment`);
  }
}

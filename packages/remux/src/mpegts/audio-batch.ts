import { type ByteChunks, emptyChunks, pushChunk } from '../codec/byte-chunks.js';
import { ADTS_HEADER_SIZE, type AdtsParams, writeAdtsHeader } from '../codec/adts.js';

/** Audio frames per PES: 5 AAC frames is ~107-116 ms at 44.1/48 kHz (ffmpeg packs ~2.9 KB, similar). */
export const AUDIO_PES_MAX_FRAMES = 5;
/** A PES is flushed before a frame that would make it span this long (keeps audio close to video and PCR within ~0.1 s for audio-only, 2.7.2). */
export const AUDIO_PES_MAX_DURATION_MS = 100;
/** Payload bytes per audio PES: PES_packet_length is 16 bits and counts 8 header bytes after it. */
export const AUDIO_PES_MAX_BYTES = 0xffff - 8;

/** Audio frames waiting to go out as one PES: payload subarrays, plus ADTS headers written into a reused slab. */
export class AudioBatch {
  readonly payload: ByteChunks = emptyChunks();
  private readonly adtsSlab = Buffer.allocUnsafe(ADTS_HEADER_SIZE * AUDIO_PES_MAX_FRAMES);
  private frameCount = 0;
  private firstPts = 0;

  /** Number of frames held. */
  get frames(): number {
    return this.frameCount;
  }

  /** PTS (ms) of the first frame held. */
  get ptsMs(): number {
    return this.firstPts;
  }

  /** True when adding a frame of `size` bytes at `ptsMs` should flush the batch first. */
  isFullFor(ptsMs: number, size: number): boolean {
    if (this.frameCount === 0) return false;
    return (
      this.frameCount >= AUDIO_PES_MAX_FRAMES ||
      ptsMs - this.firstPts >= AUDIO_PES_MAX_DURATION_MS ||
      ptsMs < this.firstPts ||
      this.payload.size + size > AUDIO_PES_MAX_BYTES
    );
  }

  /** Adds a raw AAC frame behind a 7-byte ADTS header (the frame itself is not copied). */
  addAac(raw: Uint8Array, ptsMs: number, adts: AdtsParams): void {
    const off = this.frameCount * ADTS_HEADER_SIZE;
    writeAdtsHeader(this.adtsSlab, off, adts, raw.length);
    this.start(ptsMs);
    pushChunk(this.payload, this.adtsSlab.subarray(off, off + ADTS_HEADER_SIZE));
    pushChunk(this.payload, raw);
  }

  /** Adds self-framed audio (MPEG audio frames) as-is. */
  addRaw(data: Uint8Array, ptsMs: number): void {
    this.start(ptsMs);
    pushChunk(this.payload, data);
  }

  /** Empties the batch; the slab is reused, so the batch must have been written out. */
  clear(): void {
    this.payload.parts.length = 0;
    this.payload.size = 0;
    this.frameCount = 0;
  }

  private start(ptsMs: number): void {
    if (this.frameCount === 0) this.firstPts = ptsMs;
    this.frameCount++;
  }
}

import { TS_PACKET_SIZE } from './constants.js';

/** First chunk of the first segment: 64 packets (12 KiB); later chunks double up to MAX_CHUNK_PACKETS. */
const FIRST_CHUNK_PACKETS = 64;
/** Largest chunk: 5,577 packets (~1 MiB), so a big segment costs few allocations and little slack. */
const MAX_CHUNK_PACKETS = 5577;

/**
 * Growable list of 188-byte packet slots: packets are written in place into chunk buffers and
 * concatenated once in `finish()`. Every byte of a slot must be written by the caller.
 */
export class PacketSink {
  private chunks: Buffer[] = [];
  private current: Buffer = Buffer.alloc(0);
  private used = 0;
  private nextChunkPackets = FIRST_CHUNK_PACKETS;
  private total = 0;

  /** The buffer holding the slot last returned by `alloc()`. */
  get buffer(): Buffer {
    return this.current;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.total;
  }

  /** Reserves the next 188-byte slot and returns its offset in `buffer`. */
  alloc(): number {
    if (this.used + TS_PACKET_SIZE > this.current.length) {
      if (this.used > 0) this.chunks.push(this.current.subarray(0, this.used));
      this.current = Buffer.allocUnsafe(this.nextChunkPackets * TS_PACKET_SIZE);
      this.nextChunkPackets = Math.min(this.nextChunkPackets * 2, MAX_CHUNK_PACKETS);
      this.used = 0;
    }
    const off = this.used;
    this.used += TS_PACKET_SIZE;
    this.total += TS_PACKET_SIZE;
    return off;
  }

  /**
   * All packets as one Buffer; the sink is empty afterwards. A single chunk at least 3/4 full is
   * returned without copying; otherwise chunks are concatenated once. The next segment's first chunk
   * is sized from this one (+1/8), so a steady stream needs one allocation per segment.
   */
  finish(): Buffer {
    const tail = this.current.subarray(0, this.used);
    let out: Buffer;
    if (this.chunks.length === 0) {
      out = this.used * 4 >= this.current.length * 3 ? tail : Buffer.from(tail);
    } else {
      out = Buffer.concat([...this.chunks, tail], this.total);
    }
    const packets = this.total / TS_PACKET_SIZE;
    this.nextChunkPackets = Math.min(Math.max(FIRST_CHUNK_PACKETS, Math.ceil(packets * 1.125)), MAX_CHUNK_PACKETS);
    this.chunks = [];
    this.current = Buffer.alloc(0);
    this.used = 0;
    this.total = 0;
    return out;
  }
}

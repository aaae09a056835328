import { IngestError } from '../errors.js';
import { parseAbort, parseSetChunkSize } from '../message/control.js';
import { MessageType } from '../message/types.js';
import type { RtmpMessage } from '../message/types.js';
import { readBasicHeader } from './basic-header.js';
import type { BasicHeader } from './basic-header.js';
import {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_MAX_CHUNK_STREAMS,
  DEFAULT_MAX_MESSAGE_SIZE,
  MAX_CHUNK_HEADER_SIZE,
} from './limits.js';
import type { ChunkReaderLimits } from './limits.js';
import {
  EXTENDED_TIMESTAMP_MARKER,
  EXTENDED_TIMESTAMP_SIZE,
  MESSAGE_HEADER_SIZE,
  readExtendedTimestamp,
  readMessageHeader,
} from './message-header.js';
import type { MessageHeaderFields } from './message-header.js';

/** Options of ChunkReader (spec 5.3); limits default to DEFAULT_MAX_MESSAGE_SIZE and friends. */
export interface ChunkReaderOptions extends Partial<ChunkReaderLimits> {
  /**
   * Called once per complete message, in wire order, synchronously inside push(). The payload may
   * be a subarray of a pushed Buffer (zero-copy): do not mutate it, and copy it if you keep a small
   * part of a large read for long. Set Chunk Size and Abort are applied before this is called.
   */
  onMessage: (msg: RtmpMessage) => void;
}

const EMPTY = Buffer.alloc(0);

/** Header state and the partial message of one chunk stream (spec 5.3.1.2: headers compress against it). */
class ChunkStreamState {
  typeId = 0;
  streamId = 0;
  length = 0;
  /** Absolute timestamp of the current (or last) message. */
  timestamp = 0;
  /** Timestamp increment a type 3 chunk starting a new message applies (spec 5.3.1.2.4). */
  delta = 0;
  /** The last type 0/1/2 header carried 0xFFFFFF, so type 3 chunks may carry the extended field. */
  extended = false;
  /** The value of that extended field. */
  extendedValue = 0;
  /** A message is partially received on this chunk stream. */
  inProgress = false;
  received = 0;
  fragments: Buffer[] = [];
  /** Index of the first fragment taken during the current push(), or -1. */
  liveFrom = -1;
  constructor(readonly csid: number) {}
}

/**
 * Reassembles RTMP messages from the chunk stream (Adobe RTMP specification 1.0, section 5.3).
 * Push-based: bytes may arrive at any split point; a partial chunk header (at most 18 bytes) is kept
 * until the next push. Payloads are zero-copy subarrays when a message arrives whole in one push;
 * fragments of a message still incomplete at the end of a push are copied (only what is kept), and a
 * multi-chunk message is concatenated once, when complete. Pure: no sockets, no timers. After it
 * throws (an IngestError, or whatever onMessage threw) the reader is dead and rethrows on every push.
 */
export class ChunkReader {
  /** Total bytes pushed so far (for the session's Acknowledgement, spec 5.4.3; send it modulo 2^32). */
  bytesReceived = 0;

  private readonly onMessage: (msg: RtmpMessage) => void;
  private readonly maxMessageSize: number;
  private readonly maxChunkStreams: number;
  private readonly maxBufferedBytes: number;
  private readonly streams = new Map<number, ChunkStreamState>();
  private inChunkSize = DEFAULT_CHUNK_SIZE;
  /** Bytes of partial messages received so far, across chunk streams. */
  private buffered = 0;
  /** Partial chunk header carried over to the next push. */
  private readonly head = Buffer.alloc(MAX_CHUNK_HEADER_SIZE);
  private headLen = 0;
  /** Chunk stream whose chunk payload is being read, or undefined when a header is expected. */
  private cur: ChunkStreamState | undefined = undefined;
  private chunkLeft = 0;
  /** Chunk streams that took fragments during the current push(). */
  private readonly live: ChunkStreamState[] = [];
  private failure: unknown = undefined;
  private readonly basic: BasicHeader = { fmt: 0, csid: 0, size: 1 };
  private readonly fields: MessageHeaderFields = { timestampField: 0, length: 0, typeId: 0, streamId: 0 };

  constructor(options: ChunkReaderOptions) {
    this.onMessage = options.onMessage;
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.maxChunkStreams = options.maxChunkStreams ?? DEFAULT_MAX_CHUNK_STREAMS;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 2 * this.maxMessageSize;
  }

  /** The chunk size the peer currently sends with (spec 5.4.1); 128 until it sends Set Chunk Size. */
  get chunkSize(): number {
    return this.inChunkSize;
  }

  /** Bytes the reader holds: partial messages plus a partial chunk header. Bounded by maxBufferedBytes + 18. */
  get bufferedBytes(): number {
    return this.buffered + this.headLen;
  }

  /** Chunk streams seen so far (bounded by maxChunkStreams). */
  get chunkStreamCount(): number {
    return this.streams.size;
  }

  /** Feeds bytes from the peer (spec 5.3); calls onMessage for every message they complete. */
  push(data: Buffer): void {
    if (this.failure !== undefined) throw this.failure;
    this.bytesReceived += data.length;
    try {
      let pos = 0;
      if (this.headLen > 0) {
        // Finish the carried-over header in a small joined copy: the old bytes plus at most one
        // more header's worth; parsing moves on to `data` itself once past the old bytes.
        const old = this.headLen;
        const take = Math.min(MAX_CHUNK_HEADER_SIZE, data.length);
        const joined = Buffer.allocUnsafeSlow(old + take);
        this.head.copy(joined, 0, 0, old);
        data.copy(joined, old, 0, take);
        this.headLen = 0;
        const reached = this.run(joined, 0, old);
        if (reached < 0) return this.spill();
        pos = reached - old;
      }
      this.run(data, pos, Infinity);
      this.spill();
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  /**
   * Parses `buf` from `pos`. Returns the position reached once it is at a chunk boundary or inside a
   * payload at or past `stopAt`; returns -1 when `buf` ran out (a partial header is then kept).
   */
  private run(buf: Buffer, pos: number, stopAt: number): number {
    const end = buf.length;
    for (;;) {
      if (pos >= stopAt) return pos;
      if (this.cur === undefined) {
        if (pos >= end) return -1;
        const n = this.readHeader(buf, pos, end);
        if (n === 0) {
          buf.copy(this.head, 0, pos, end);
          this.headLen = end - pos;
          return -1;
        }
        pos += n;
      }
      const cs = this.cur!;
      if (this.chunkLeft > 0) {
        // Payload is never taken past `stopAt`: in the joined copy only the carried-over bytes are.
        if (pos >= stopAt) return pos;
        if (pos >= end) return -1;
        const limit = Math.min(end, stopAt);
        const take = Math.min(this.chunkLeft, limit - pos);
        if (cs.liveFrom < 0) {
          cs.liveFrom = cs.fragments.length;
          this.live.push(cs);
        }
        cs.fragments.push(buf.subarray(pos, pos + take));
        cs.received += take;
        this.buffered += take;
        this.chunkLeft -= take;
        pos += take;
        if (this.chunkLeft > 0) continue;
      }
      this.cur = undefined;
      if (cs.received === cs.length) this.complete(cs);
    }
  }

  /**
   * Reads one chunk header (spec 5.3.1) at `pos` and commits it; returns its size, or 0 when more
   * bytes are needed (nothing is changed then).
   */
  private readHeader(buf: Buffer, pos: number, end: number): number {
    const basic = this.basic;
    const bn = readBasicHeader(buf, pos, end, basic);
    if (bn === 0) return 0;
    const { fmt, csid } = basic;
    let cs = this.streams.get(csid);
    if (cs === undefined) {
      if (this.streams.size >= this.maxChunkStreams) {
        throw new IngestError(
          'ERR_RTMP_TOO_MANY_CHUNK_STREAMS',
          `chunk stream ${csid} would be chunk stream number ${this.streams.size + 1}, over the limit of ${this.maxChunkStreams}`,
        );
      }
      // A fresh chunk stream must say how long its message is: type 0 does, and type 1 does too
      // (librtmp sends its first ping as type 1 on chunk stream 2, SRS issue #98). Type 2 and 3 carry
      // no length; any default would misframe everything after, so they are refused.
      if (fmt >= 2) {
        throw new IngestError(
          'ERR_RTMP_BAD_CHUNK',
          `chunk stream ${csid} starts with a type ${fmt} header, which carries no message length (need type 0 or 1)`,
        );
      }
    } else if (cs.inProgress && fmt !== 3) {
      // Only type 3 continues a message (spec 5.3.1.2.4); a new header mid-message means the peer
      // and the reader disagree on framing (SRS refuses it too).
      throw new IngestError(
        'ERR_RTMP_BAD_CHUNK',
        `type ${fmt} header on chunk stream ${csid} while ${cs.received} of ${cs.length} bytes of its message are pending`,
      );
    }

    let n = bn + MESSAGE_HEADER_SIZE[fmt];
    if (end - pos < n) return 0;
    const f = this.fields;
    readMessageHeader(buf, pos + bn, fmt, f);

    let extended = false;
    let extendedValue = 0;
    if (fmt !== 3) {
      if (f.timestampField === EXTENDED_TIMESTAMP_MARKER) {
        if (end - pos < n + EXTENDED_TIMESTAMP_SIZE) return 0;
        extended = true;
        extendedValue = readExtendedTimestamp(buf, pos + n);
        n += EXTENDED_TIMESTAMP_SIZE;
      }
      if (fmt <= 1 && f.length > this.maxMessageSize) {
        throw new IngestError(
          'ERR_RTMP_MESSAGE_TOO_LARGE',
          `message on chunk stream ${csid} declares ${f.length} bytes, over the limit of ${this.maxMessageSize}`,
        );
      }
    } else if (cs!.extended) {
      // Adobe encoders repeat the extended timestamp on type 3 chunks; ffmpeg and librtmp
      // historically did not. Peek and compare with the stored value (SRS, nginx-rtmp do the same).
      if (end - pos < n + EXTENDED_TIMESTAMP_SIZE) return 0;
      if (readExtendedTimestamp(buf, pos + n) === cs!.extendedValue) n += EXTENDED_TIMESTAMP_SIZE;
    }

    // Committed from here on.
    if (cs === undefined) {
      cs = new ChunkStreamState(csid);
      this.streams.set(csid, cs);
    }
    switch (fmt) {
      case 0: {
        const ts = extended ? extendedValue : f.timestampField;
        cs.timestamp = ts;
        // A type 3 header starting a new message after a type 0 one repeats its timestamp field as
        // the delta, as ffmpeg's and librtmp's readers and writers both do.
        cs.delta = ts;
        cs.length = f.length;
        cs.typeId = f.typeId;
        cs.streamId = f.streamId;
        break;
      }
      case 1:
      case 2: {
        const delta = extended ? extendedValue : f.timestampField;
        cs.timestamp = (cs.timestamp + delta) >>> 0;
        cs.delta = delta;
        if (fmt === 1) {
          cs.length = f.length;
          cs.typeId = f.typeId;
        }
        break;
      }
      case 3:
        if (!cs.inProgress) cs.timestamp = (cs.timestamp + cs.delta) >>> 0;
        break;
    }
    if (fmt !== 3) {
      cs.extended = extended;
      cs.extendedValue = extendedValue;
    }
    if (!cs.inProgress) {
      cs.inProgress = true;
      cs.received = 0;
    }
    const chunkPayload = Math.min(this.inChunkSize, cs.length - cs.received);
    if (this.buffered + chunkPayload > this.maxBufferedBytes) {
      throw new IngestError(
        'ERR_RTMP_MESSAGE_TOO_LARGE',
        `partial messages would hold ${this.buffered + chunkPayload} bytes, over the limit of ${this.maxBufferedBytes}`,
      );
    }
    this.cur = cs;
    this.chunkLeft = chunkPayload;
    return n;
  }

  /** Emits the message complete on `cs`, applying Set Chunk Size and Abort first (spec 5.4.1, 5.4.2). */
  private complete(cs: ChunkStreamState): void {
    const { fragments } = cs;
    const payload =
      fragments.length === 1 ? fragments[0]! : fragments.length === 0 ? EMPTY : Buffer.concat(fragments, cs.length);
    this.buffered -= cs.received;
    this.resetPartial(cs);
    if (cs.typeId === MessageType.SetChunkSize) {
      this.inChunkSize = parseSetChunkSize(payload);
    } else if (cs.typeId === MessageType.Abort) {
      const target = this.streams.get(parseAbort(payload));
      if (target !== undefined && target.inProgress) {
        this.buffered -= target.received;
        this.resetPartial(target);
      }
    }
    this.onMessage({ csid: cs.csid, typeId: cs.typeId, streamId: cs.streamId, timestamp: cs.timestamp, payload });
  }

  private resetPartial(cs: ChunkStreamState): void {
    cs.inProgress = false;
    cs.received = 0;
    cs.fragments = [];
    cs.liveFrom = -1;
  }

  /** Copies the fragments of still-partial messages that point into this push's input (copy only what is kept). */
  private spill(): void {
    for (const cs of this.live) {
      if (cs.liveFrom < 0) continue;
      const fresh = cs.fragments.slice(cs.liveFrom);
      let size = 0;
      for (const f of fresh) size += f.length;
      const kept = Buffer.allocUnsafeSlow(size);
      let at = 0;
      for (const f of fresh) at += f.copy(kept, at);
      cs.fragments.length = cs.liveFrom;
      cs.fragments.push(kept);
      cs.liveFrom = -1;
    }
    this.live.length = 0;
  }
}

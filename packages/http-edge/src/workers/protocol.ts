import type { CloseReason, MediaMessage } from '@livegate/ingest';
import { mediaFromTag, tagTypeOf } from '@livegate/ingest';

/**
 * What the main process and its viewer workers say to each other, on two channels:
 * - the IPC channel (Node's `advanced` serialization) carries control: viewers with their sockets,
 *   kicks, shutdown, and the worker's reports. Node sends a socket as a handle and holds every later
 *   message on the channel until the worker acknowledges it, so a burst of joins would hold the media
 *   back for seconds (measured: 2.3 s at 2,000 joins on a quarter core);
 * - a pipe of its own (the worker's fd 4) carries the streams: relay frames (open, media, end),
 *   binary, length-prefixed, in order. Media goes as FLV tags (type, unwrapped dts, the tag body as
 *   received, when it was relayed) and the worker parses them with the same code as the RTMP side.
 */

/** Settings a worker starts with (argv[2], JSON). */
export interface WorkerSettings {
  index: number;
  logLevel: string;
  corsOrigin: string;
  maxBacklogBytes: number;
  maxBehindMs: number;
  maxLagMs: number;
  gopCacheMaxBytes: number;
  gopCacheMaxMs: number;
  batchMaxDelayMs: number;
  batchLoadLow: number;
  batchLoadHigh: number;
  tcpNoDelay: boolean;
  /** Longest relay frame the worker reads: the largest RTMP message plus RELAY_FRAME_OVERHEAD. */
  maxRelayFrameBytes: number;
}

/** Main -> worker, on the media pipe (fd 4): stream `s` is one of this worker's relays (ids increase). */
export type RelayFrame =
  /** Start relaying stream `s` (`app/name`); its messages follow (headers and GOP cache first). */
  | { t: 'open'; s: number; app: string; name: string }
  /**
   * One message of stream `s`: FLV tag type, dts (ms, unwrapped), tag body, and when the main process
   * relayed it (`a`, epochMs()): the worker counts the time since in its fan-outs' lag.
   */
  | { t: 'm'; s: number; k: number; d: number; b: Buffer; a: number }
  /** Stream `s` is no longer relayed: its viewers here end with `reason`. */
  | { t: 'end'; s: number; reason: CloseReason };

/** Main -> worker, on the IPC channel. */
export type ToWorker =
  /**
   * A viewer of stream `s`; its socket comes with the message. HTTP-FLV, or WS-FLV when `ws` is the
   * 101 response to write (the main process checked the handshake and has not answered it). The
   * relay's `open` may still be on its way on the media pipe: the worker waits for it.
   */
  | { t: 'viewer'; id: string; s: number; remote: string; ws?: string }
  /** Close one viewer (admin kick). */
  | { t: 'kick'; id: string; reason: string }
  /** End every viewer cleanly and exit. */
  | { t: 'shutdown' };

/** Worker -> main. */
export type FromWorker =
  | { t: 'ready' }
  /** A viewer is gone (any reason); its final counts. */
  | { t: 'gone'; id: string; reason: string; bytes: number; dropped: number }
  /**
   * Every second: [id, bytes, dropped] of each open viewer, and the worker's load: its event-loop
   * utilization, how long its fan-outs now gather frames (its own pacing), the longest its fan-outs
   * made their last batch wait, and the frames it shed so far (fan-outs behind).
   */
  | { t: 'stats'; v: [string, number, number][]; elu: number; gatherMs: number; lagMs: number; shed: number };

/**
 * Now, in ms since the epoch with sub-millisecond precision: one clock for the main process and its
 * workers (each process's performance.now() counts from its own start).
 */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** A bus message as a relay message of stream `s`, relayed now. */
export function relayOf(s: number, m: MediaMessage, at = epochMs()): Extract<RelayFrame, { t: 'm' }> {
  return { t: 'm', s, k: tagTypeOf(m), d: m.dts, b: m.body, a: at };
}

/** How long ago (ms, ≥ 0) the main process relayed a message. */
export function relayAgeMs(r: { a: number }, now = epochMs()): number {
  return Math.max(0, now - r.a);
}

/** The bus message a relay message carries (undefined for what the bus would not carry either). */
export function messageOf(r: { k: number; d: number; b: Buffer }): MediaMessage | undefined {
  return mediaFromTag(r.k, r.d, r.b);
}

/** A relay frame that cannot be read: the media pipe is broken (the worker exits and is started again). */
export class RelayFrameError extends Error {
  override readonly name = 'RelayFrameError';
}

const KIND = { open: 1, m: 2, end: 3 } as const;
/** Kind (u8), stream (u32), length of the rest (u32). */
const HEAD = 9;
/** A media frame's fields before the body: tag type (u8), dts (f64), relayed at (f64). */
const MEDIA_FIELDS = 17;
/** Room in a relay frame beside the message body (the rest of a media frame; an open frame's names). */
export const RELAY_FRAME_OVERHEAD = 4096;
const CLOSE_REASONS: ReadonlySet<string> = new Set<CloseReason>(['ended', 'slow', 'unsubscribed', 'replaced', 'shutdown', 'kicked']);

/**
 * A relay frame as bytes: one Buffer, or for media a head and the tag body as it is (no copy; write
 * both with one writev, e.g. cork/uncork).
 */
export function encodeRelayFrame(f: RelayFrame): Buffer[] {
  if (f.t === 'm') {
    const head = relayHead(KIND.m, f.s, MEDIA_FIELDS, f.b.length);
    head.writeUInt8(f.k, HEAD);
    head.writeDoubleBE(f.d, HEAD + 1);
    head.writeDoubleBE(f.a, HEAD + 9);
    return [head, f.b];
  }
  if (f.t === 'open') {
    const appLen = Buffer.byteLength(f.app, 'utf8');
    const head = relayHead(KIND.open, f.s, 2 + appLen + Buffer.byteLength(f.name, 'utf8'));
    head.writeUInt16BE(appLen, HEAD);
    head.write(f.app, HEAD + 2, 'utf8');
    head.write(f.name, HEAD + 2 + appLen, 'utf8');
    return [head];
  }
  const head = relayHead(KIND.end, f.s, Buffer.byteLength(f.reason, 'utf8'));
  head.write(f.reason, HEAD, 'utf8');
  return [head];
}

/** A frame's head with room for `fields` bytes after it; `body` more bytes follow in a Buffer of their own. */
function relayHead(kind: number, s: number, fields: number, body = 0): Buffer {
  const head = Buffer.allocUnsafe(HEAD + fields);
  head.writeUInt8(kind, 0);
  head.writeUInt32BE(s, 1);
  head.writeUInt32BE(fields + body, 5);
  return head;
}

/**
 * Reads relay frames from the media pipe as bytes arrive, at any split point. A frame inside one
 * chunk is sliced from it (no copy); one split over chunks is gathered. A frame longer than
 * `maxFrameBytes`, an unknown kind or a malformed field throws RelayFrameError.
 */
export class RelayFrameReader {
  private parts: Buffer[] = [];
  private held = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received and not yet part of a whole frame. */
  get buffered(): number {
    return this.held;
  }

  /** The frames completed by `chunk`, in order. */
  push(chunk: Buffer): RelayFrame[] {
    this.parts.push(chunk);
    this.held += chunk.length;
    const out: RelayFrame[] = [];
    for (;;) {
      if (this.held < HEAD) break;
      const head = this.peek(HEAD);
      const len = head.readUInt32BE(5);
      if (len > this.maxFrameBytes) throw new RelayFrameError(`relay frame of ${len} bytes (limit ${this.maxFrameBytes})`);
      if (this.held < HEAD + len) break;
      const frame = this.take(HEAD + len);
      out.push(decode(frame));
    }
    return out;
  }

  /** The first `n` bytes held, joined if they span chunks (kept joined). */
  private peek(n: number): Buffer {
    if (this.parts[0]!.length < n) this.parts = [Buffer.concat(this.parts)];
    return this.parts[0]!;
  }

  private take(n: number): Buffer {
    const first = this.peek(n);
    const frame = first.subarray(0, n);
    if (first.length === n) this.parts.shift();
    else this.parts[0] = first.subarray(n);
    this.held -= n;
    return frame;
  }
}

function decode(frame: Buffer): RelayFrame {
  const kind = frame.readUInt8(0);
  const s = frame.readUInt32BE(1);
  const rest = frame.subarray(HEAD);
  if (kind === KIND.m) {
    if (rest.length < MEDIA_FIELDS) throw new RelayFrameError(`relay media frame of ${rest.length} bytes`);
    return { t: 'm', s, k: rest.readUInt8(0), d: rest.readDoubleBE(1), a: rest.readDoubleBE(9), b: rest.subarray(MEDIA_FIELDS) };
  }
  if (kind === KIND.open) {
    const n = rest.length >= 2 ? rest.readUInt16BE(0) : Infinity;
    if (rest.length < 2 + n) throw new RelayFrameError('relay open frame too short');
    return { t: 'open', s, app: rest.toString('utf8', 2, 2 + n), name: rest.toString('utf8', 2 + n) };
  }
  if (kind === KIND.end) {
    const reason = rest.toString('utf8');
    if (!CLOSE_REASONS.has(reason)) throw new RelayFrameError(`relay end frame with reason ${JSON.stringify(reason.slice(0, 40))}`);
    return { t: 'end', s, reason: reason as CloseReason };
  }
  throw new RelayFrameError(`relay frame of kind ${kind}`);
}

/**
 * The two channels are not ordered with each other: a viewer (IPC) may arrive before its relay's
 * `open` frame (media pipe). Relay ids increase, so a viewer of a relay above the highest opened one
 * waits here for that open; one of a relay at or below it is served (or refused: that relay ended) now.
 */
export class ViewersAwaitingOpen<V extends { id: string }> {
  private lastOpened = 0;
  private readonly held = new Map<number, V[]>();

  /** A viewer of relay `s`: true to serve it now, false when it is held for the relay's open. */
  admit(s: number, v: V): boolean {
    if (s <= this.lastOpened) return true;
    const list = this.held.get(s);
    if (list) list.push(v);
    else this.held.set(s, [v]);
    return false;
  }

  /** Relay `s` opened: the viewers held for it, to serve now. */
  opened(s: number): V[] {
    this.lastOpened = Math.max(this.lastOpened, s);
    const list = this.held.get(s) ?? [];
    this.held.delete(s);
    return list;
  }

  /** Take a held viewer out (kicked before its relay opened). */
  take(id: string): V | undefined {
    for (const [s, list] of this.held) {
      const i = list.findIndex((v) => v.id === id);
      if (i < 0) continue;
      const [v] = list.splice(i, 1);
      if (list.length === 0) this.held.delete(s);
      return v;
    }
    return undefined;
  }

  /** Every held viewer, taken out (shutdown). */
  drain(): V[] {
    const all = [...this.held.values()].flat();
    this.held.clear();
    return all;
  }
}

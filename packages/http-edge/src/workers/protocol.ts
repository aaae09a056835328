import type { CloseReason, MediaMessage } from '@livegate/ingest';
import { mediaFromTag, tagTypeOf } from '@livegate/ingest';

/**
 * What the main process and its viewer workers say to each other over the IPC channel (Node's
 * `advanced` serialization: Buffers arrive as Buffers). Media goes as FLV tags (type, unwrapped
 * dts, the tag body as received) and the worker parses them with the same code as the RTMP side.
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
}

/** Main -> worker. */
export type ToWorker =
  /** Start relaying stream `s` (`app/name`); its messages follow (headers and GOP cache first). */
  | { t: 'open'; s: number; app: string; name: string }
  /**
   * One message of stream `s`: FLV tag type, dts (ms, unwrapped), tag body, and when the main process
   * relayed it (`a`, epochMs()): the worker counts the time since in its fan-outs' lag.
   */
  | { t: 'm'; s: number; k: number; d: number; b: Buffer; a: number }
  /** Stream `s` is no longer relayed: its viewers here end with `reason`. */
  | { t: 'end'; s: number; reason: CloseReason }
  /**
   * A viewer of stream `s`; its socket comes with the message. HTTP-FLV, or WS-FLV when `ws` is the
   * 101 response to write (the main process checked the handshake and has not answered it).
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
export function relayOf(s: number, m: MediaMessage, at = epochMs()): ToWorker {
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

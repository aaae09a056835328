import { IngestError } from '../errors.js';
import {
  DIGEST_SIZE,
  PLAYER_KEY,
  PLAYER_KEY_TEXT_LENGTH,
  SERVER_KEY,
  SERVER_KEY_TEXT_LENGTH,
  findDigest,
  imprintDigest,
  signResponse,
} from './digest.js';
import type { DigestScheme } from './digest.js';
import { FixedCollector, HANDSHAKE_PACKET_SIZE, answerVersion, handshakeDefaults } from './packet.js';
import type { HandshakeOptions, HandshakeStep } from './packet.js';

/**
 * Version livegate puts in a digest S1 (bytes 4-7). ffmpeg as a player validates the S1 digest only
 * when the first of these bytes is >= 3, so it is non-trivial on purpose; the value reads as FMS 4.5.0.1.
 */
export const SERVER_HANDSHAKE_VERSION: readonly [number, number, number, number] = [4, 5, 0, 1];

const RANDOM_S1_SIZE = HANDSHAKE_PACKET_SIZE - 8;
const RANDOM_S2_SIZE = HANDSHAKE_PACKET_SIZE - DIGEST_SIZE;

/**
 * Server side of the handshake (Adobe RTMP specification 1.0, section 5.2; digest form as ffmpeg,
 * nginx-rtmp and SRS implement it). Push-based and pure: consumes C0+C1, answers S0+S1+S2 in one
 * Buffer, consumes C2 without judging it (servers do not: clients fill it loosely), then is done and
 * hands back the bytes that followed C2. A C1 with a non-zero version (bytes 4-7) whose digest
 * verifies under either scheme gets a digest S1 and a signed S2; any other C1, including a digest
 * C1 that fails both schemes, gets the plain answer: S1 = time, zero, random and S2 = C1 echoed.
 */
export class ServerHandshake {
  private state: 'c0c1' | 'c2' | 'done' = 'c0c1';
  private readonly c0c1 = new FixedCollector(1 + HANDSHAKE_PACKET_SIZE);
  private c2Left = HANDSHAKE_PACKET_SIZE;
  private s0 = 0;
  private readonly random: (n: number) => Buffer;
  private readonly now: () => number;
  /** Digest scheme of the client's C1 once answered; undefined for a plain handshake (or before C1). */
  digestScheme: DigestScheme | undefined = undefined;
  /** C0 version byte the client sent (0 before it arrives). */
  clientRtmpVersion = 0;
  /** C1 bytes 4-7 as "a.b.c.d" (the Flash Player / encoder version; "0.0.0.0" for a plain C1). */
  clientVersion = '';

  constructor(options?: HandshakeOptions) {
    const d = handshakeDefaults(options);
    this.random = d.random;
    this.now = d.now;
  }

  /** The handshake is complete. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** Feeds bytes from the client (spec 5.2.5); throws ERR_HANDSHAKE_VERSION for a C0 it refuses. */
  push(data: Buffer): HandshakeStep {
    const out: Buffer[] = [];
    if (this.state === 'done') return { out, done: true, rest: data.length > 0 ? data : undefined };
    let pos = 0;
    if (this.state === 'c0c1') {
      if (data.length === 0) return { out, done: false, rest: undefined };
      if (this.c0c1.length === 0) {
        // Refuse a bad C0 at its first byte, before waiting for 1536 more.
        this.clientRtmpVersion = data[0]!;
        this.s0 = answerVersion(data[0]!);
      }
      const got = this.c0c1.take(data, 0);
      if (got === undefined) return { out, done: false, rest: undefined };
      out.push(this.answer(got.packet.subarray(1)));
      pos = got.next;
      this.state = 'c2';
    }
    const n = Math.min(this.c2Left, data.length - pos);
    this.c2Left -= n;
    pos += n;
    if (this.c2Left > 0) return { out, done: false, rest: undefined };
    this.state = 'done';
    return { out, done: true, rest: pos < data.length ? data.subarray(pos) : undefined };
  }

  /** S0 + S1 + S2 for C1 (spec 5.2.2-5.2.4). */
  private answer(c1: Buffer): Buffer {
    const res = Buffer.alloc(1 + 2 * HANDSHAKE_PACKET_SIZE);
    res[0] = this.s0;
    const s1 = res.subarray(1, 1 + HANDSHAKE_PACKET_SIZE);
    const s2 = res.subarray(1 + HANDSHAKE_PACKET_SIZE);
    this.clientVersion = `${c1[4]}.${c1[5]}.${c1[6]}.${c1[7]}`;
    const found = c1.readUInt32BE(4) !== 0 ? findDigest(c1, PLAYER_KEY.subarray(0, PLAYER_KEY_TEXT_LENGTH)) : undefined;
    s1.writeUInt32BE(this.now() >>> 0, 0);
    this.take(RANDOM_S1_SIZE).copy(s1, 8);
    if (found === undefined) {
      // Plain: zero, random; S2 echoes C1 (time, time2 and random as the client sent them).
      c1.copy(s2);
      return res;
    }
    this.digestScheme = found.scheme;
    s1.set(SERVER_HANDSHAKE_VERSION, 4);
    imprintDigest(s1, found.scheme, SERVER_KEY.subarray(0, SERVER_KEY_TEXT_LENGTH));
    this.take(RANDOM_S2_SIZE).copy(s2, 0);
    signResponse(s2, c1.subarray(found.offset, found.offset + DIGEST_SIZE), SERVER_KEY);
    return res;
  }

  private take(n: number): Buffer {
    const b = this.random(n);
    if (b.length !== n) {
      throw new RangeError(`random(${n}) returned ${b.length} bytes`);
    }
    return b;
  }
}

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
  verifyResponse,
} from './digest.js';
import { FixedCollector, HANDSHAKE_PACKET_SIZE, RTMP_VERSION, handshakeDefaults } from './packet.js';
import type { HandshakeOptions, HandshakeStep } from './packet.js';

/** Version a digest C1 carries in bytes 4-7: the Flash Player version ffmpeg sends (9.0.124.2). */
export const CLIENT_HANDSHAKE_VERSION: readonly [number, number, number, number] = [9, 0, 124, 2];

/** Options of ClientHandshake. */
export interface ClientHandshakeOptions extends HandshakeOptions {
  /** Send a digest C1 like ffmpeg's (default true); false sends the plain C1 of spec 5.2.3. */
  digest?: boolean;
  /**
   * With a digest C1, check the server's S1 digest and S2 signature when S1's version byte 4 is >= 3,
   * as ffmpeg does as a player (default true); failure throws ERR_HANDSHAKE_DIGEST.
   */
  verifyServer?: boolean;
}

/**
 * Client side of the handshake (Adobe RTMP specification 1.0, section 5.2), for livegate's own RTMP
 * client. start() returns C0+C1; push() consumes S0+S1+S2 and answers C2, then is done and hands back
 * the bytes that followed S2. C2 is S1 echoed, or with a digest exchange a random packet signed
 * with a key derived from the server's S1 digest (as ffmpeg signs it).
 */
export class ClientHandshake {
  private state: 'idle' | 'sent' | 'done' = 'idle';
  private readonly collector = new FixedCollector(1 + 2 * HANDSHAKE_PACKET_SIZE);
  private readonly random: (n: number) => Buffer;
  private readonly now: () => number;
  private readonly digest: boolean;
  private readonly verifyServer: boolean;
  /** Copy of our C1 digest, which keys the server's S2 signature. */
  private c1Digest: Buffer | undefined = undefined;
  /** S1 bytes 4-7 as "a.b.c.d" once received. */
  serverVersion = '';

  constructor(options?: ClientHandshakeOptions) {
    const d = handshakeDefaults(options);
    this.random = d.random;
    this.now = d.now;
    this.digest = options?.digest ?? true;
    this.verifyServer = options?.verifyServer ?? true;
  }

  /** The handshake is complete. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** C0 + C1 to send first (spec 5.2.2, 5.2.3). Call once. */
  start(): Buffer {
    if (this.state !== 'idle') throw new Error('ClientHandshake.start() called twice');
    this.state = 'sent';
    const c0c1 = Buffer.alloc(1 + HANDSHAKE_PACKET_SIZE);
    c0c1[0] = RTMP_VERSION;
    const c1 = c0c1.subarray(1);
    c1.writeUInt32BE(this.now() >>> 0, 0);
    this.take(HANDSHAKE_PACKET_SIZE - 8).copy(c1, 8);
    if (this.digest) {
      c1.set(CLIENT_HANDSHAKE_VERSION, 4);
      const at = imprintDigest(c1, 1, PLAYER_KEY.subarray(0, PLAYER_KEY_TEXT_LENGTH));
      this.c1Digest = Buffer.from(c1.subarray(at, at + DIGEST_SIZE));
    }
    return c0c1;
  }

  /** Feeds bytes from the server (spec 5.2.5); throws ERR_HANDSHAKE_VERSION or ERR_HANDSHAKE_DIGEST. */
  push(data: Buffer): HandshakeStep {
    const out: Buffer[] = [];
    if (this.state === 'done') return { out, done: true, rest: data.length > 0 ? data : undefined };
    if (this.state === 'idle') throw new Error('ClientHandshake.push() before start()');
    if (data.length === 0) return { out, done: false, rest: undefined };
    if (this.collector.length === 0 && data[0] !== RTMP_VERSION) {
      throw new IngestError('ERR_HANDSHAKE_VERSION', `S0 version ${data[0]}, expected ${RTMP_VERSION}`);
    }
    const got = this.collector.take(data, 0);
    if (got === undefined) return { out, done: false, rest: undefined };
    const s1 = got.packet.subarray(1, 1 + HANDSHAKE_PACKET_SIZE);
    const s2 = got.packet.subarray(1 + HANDSHAKE_PACKET_SIZE);
    out.push(this.answer(s1, s2));
    this.state = 'done';
    return { out, done: true, rest: got.next < data.length ? data.subarray(got.next) : undefined };
  }

  /** C2 for S1/S2 (spec 5.2.4). */
  private answer(s1: Buffer, s2: Buffer): Buffer {
    this.serverVersion = `${s1[4]}.${s1[5]}.${s1[6]}.${s1[7]}`;
    if (this.c1Digest !== undefined && s1[4]! >= 3) {
      const found = findDigest(s1, SERVER_KEY.subarray(0, SERVER_KEY_TEXT_LENGTH));
      if (found === undefined) {
        if (this.verifyServer) {
          throw new IngestError(
            'ERR_HANDSHAKE_DIGEST',
            `S1 (server version ${this.serverVersion}) has no valid digest under scheme 0 or 1`,
          );
        }
      } else {
        if (this.verifyServer && !verifyResponse(s2, this.c1Digest, SERVER_KEY)) {
          throw new IngestError('ERR_HANDSHAKE_DIGEST', 'S2 signature does not match the digest of our C1');
        }
        const c2 = Buffer.alloc(HANDSHAKE_PACKET_SIZE);
        this.take(HANDSHAKE_PACKET_SIZE - DIGEST_SIZE).copy(c2);
        signResponse(c2, s1.subarray(found.offset, found.offset + DIGEST_SIZE), PLAYER_KEY);
        return c2;
      }
    }
    return Buffer.from(s1);
  }

  private take(n: number): Buffer {
    const b = this.random(n);
    if (b.length !== n) {
      throw new RangeError(`random(${n}) returned ${b.length} bytes`);
    }
    return b;
  }
}

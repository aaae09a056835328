import { randomBytes } from 'node:crypto';
import { IngestError } from '../errors.js';

/**
 * Handshake packets (Adobe RTMP specification 1.0, section 5.2): C0/S0 is one version byte,
 * C1/S1 and C2/S2 are 1536 bytes each.
 */

/** The RTMP version this implementation speaks in C0/S0 (spec 5.2.2). */
export const RTMP_VERSION = 3;

/** Size of C1, S1, C2 and S2 (spec 5.2.3, 5.2.4). */
export const HANDSHAKE_PACKET_SIZE = 1536;

/** C0/S0 version bytes that request RTMPE (6: Diffie-Hellman + RC4; 8, 9: its XTEA/Blowfish variants). */
const RTMPE_VERSIONS: ReadonlySet<number> = new Set([6, 8, 9]);

/** First byte of a TLS ClientHello (record type 22), which would otherwise fall in the reserved range. */
const TLS_HANDSHAKE_RECORD = 0x16;

/** Highest C0 version the spec reserves for future RTMP versions; 32-255 MUST NOT be sent (spec 5.2.2). */
const MAX_RESERVED_VERSION = 31;

/** Randomness and time a handshake uses; inject them for deterministic output. */
export interface HandshakeOptions {
  /** Returns `n` random bytes (default crypto.randomBytes). */
  random?: (n: number) => Buffer;
  /** Milliseconds on this endpoint's epoch for the time field (default: ms since the process started). */
  now?: () => number;
}

/** What one push() did: bytes to send, whether the handshake is over, and bytes past its end. */
export interface HandshakeStep {
  /** Bytes to write to the peer, in order (possibly empty). */
  out: Buffer[];
  /** The handshake is complete; everything after it is chunk stream. */
  done: boolean;
  /** When done: bytes that followed the handshake in this push (a subarray), else undefined. */
  rest: Buffer | undefined;
}

/** Fills in the defaults of HandshakeOptions. */
export function handshakeDefaults(options: HandshakeOptions | undefined): Required<HandshakeOptions> {
  return {
    random: options?.random ?? ((n) => randomBytes(n)),
    now: options?.now ?? (() => Math.floor(performance.now())),
  };
}

/**
 * Decides what S0 answers to a C0 `version` (spec 5.2.2). 3 is accepted. RTMPE (6, 8, 9) is refused:
 * livegate cannot decrypt it, and answering 3 would let the client go on in a mode nobody speaks.
 * 22 (0x16) is a TLS ClientHello, refused with that hint. Other reserved versions 4-31 get S0 = 3, as the spec says a server SHOULD ("the client MAY
 * degrade to version 3, or abandon"). 0-2 (deprecated) and 32-255 (not RTMP: 'G' = 0x47 is an HTTP
 * request) are refused with ERR_HANDSHAKE_VERSION.
 */
export function answerVersion(version: number): number {
  if (version === RTMP_VERSION) return RTMP_VERSION;
  if (RTMPE_VERSIONS.has(version)) {
    throw new IngestError(
      'ERR_HANDSHAKE_VERSION',
      `C0 version ${version} requests RTMPE (encrypted RTMP), which is not supported; only version ${RTMP_VERSION} (use RTMPS for encryption)`,
    );
  }
  if (version === TLS_HANDSHAKE_RECORD) {
    throw new IngestError(
      'ERR_HANDSHAKE_VERSION',
      `C0 version ${version} is a TLS handshake record: an RTMPS client on the plain RTMP port; only version ${RTMP_VERSION} is supported`,
    );
  }
  if (version > RTMP_VERSION && version <= MAX_RESERVED_VERSION) return RTMP_VERSION;
  const hint =
    version <= RTMP_VERSION
      ? ' (deprecated)'
      : version >= 0x20 && version < 0x7f
        ? ` ('${String.fromCharCode(version)}': a text protocol such as HTTP, not RTMP)`
        : ' (not RTMP)';
  throw new IngestError('ERR_HANDSHAKE_VERSION', `C0 version ${version}${hint}; only version ${RTMP_VERSION} is supported`);
}

/**
 * Gathers a fixed number of bytes across pushes: zero-copy when they arrive in one piece, else
 * copied into one buffer of exactly that size (allocated on the first partial piece).
 */
export class FixedCollector {
  private buf: Buffer | undefined = undefined;
  private filled = 0;
  constructor(readonly size: number) {}

  /** Bytes gathered so far. */
  get length(): number {
    return this.filled;
  }

  /**
   * Takes bytes from `data` at `pos`. Returns the complete packet (size bytes) and the position
   * after it, or undefined (and all of data consumed) when more are needed.
   */
  take(data: Buffer, pos: number): { packet: Buffer; next: number } | undefined {
    const want = this.size - this.filled;
    if (this.filled === 0 && data.length - pos >= want) {
      this.filled = this.size;
      return { packet: data.subarray(pos, pos + want), next: pos + want };
    }
    this.buf ??= Buffer.allocUnsafe(this.size);
    const n = Math.min(want, data.length - pos);
    data.copy(this.buf, this.filled, pos, pos + n);
    this.filled += n;
    if (this.filled < this.size) return undefined;
    return { packet: this.buf, next: pos + n };
  }
}

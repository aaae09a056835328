import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The digest ("complex", Flash Player 9+) handshake: C1/S1 carry an HMAC-SHA256 digest at a
 * position derived from four of their own bytes, and C2/S2 end with an HMAC keyed from the peer's
 * digest. Not in Adobe's published RTMP specification (section 5.2 describes only the plain form);
 * the facts here come from ffmpeg libavformat/rtmpproto.c and rtmpdigest.c, nginx-rtmp
 * ngx_rtmp_handshake.c and SRS srs_protocol_handshake.cpp, which interoperate with Adobe's products.
 *
 * A 1536-byte packet is time(4) version(4) and two 764-byte blocks. The digest block is
 * offset(4) random(offset) digest(32) random(rest) with offset = sum of the 4 offset bytes mod 728.
 */

/** Size of an HMAC-SHA256 digest. */
export const DIGEST_SIZE = 32;

/** The 32 constant bytes both Adobe keys end with. */
const KEY_SUFFIX = Buffer.from('f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae', 'hex');

/** "Genuine Adobe Flash Player 001" + suffix (62 bytes): client digests use its first 30 bytes, S2-side keys all 62. */
export const PLAYER_KEY: Buffer = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001', 'latin1'), KEY_SUFFIX]);

/** Bytes of PLAYER_KEY that key the C1 digest (the text part). */
export const PLAYER_KEY_TEXT_LENGTH = 30;

/** "Genuine Adobe Flash Media Server 001" + suffix (68 bytes): S1 digests use its first 36 bytes, S2 keys all 68. */
export const SERVER_KEY: Buffer = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001', 'latin1'), KEY_SUFFIX]);

/** Bytes of SERVER_KEY that key the S1 digest (the text part). */
export const SERVER_KEY_TEXT_LENGTH = 36;

/**
 * Where the digest block is: scheme 1 puts it first (offset bytes 8-11, what ffmpeg and Flash
 * Player send unencrypted), scheme 0 second (offset bytes 772-775, after the key block).
 */
export type DigestScheme = 0 | 1;

/** Position of the digest in a 1536-byte C1/S1 for `scheme`. */
export function digestOffset(packet: Buffer, scheme: DigestScheme): number {
  const base = scheme === 1 ? 8 : 772;
  const sum = packet[base]! + packet[base + 1]! + packet[base + 2]! + packet[base + 3]!;
  return (sum % 728) + base + 4;
}

/** HMAC-SHA256 of `packet` without the 32 digest bytes at `offset`, keyed with `key`. */
export function computeDigest(packet: Buffer, offset: number, key: Buffer): Buffer {
  return createHmac('sha256', key)
    .update(packet.subarray(0, offset))
    .update(packet.subarray(offset + DIGEST_SIZE))
    .digest();
}

/** Finds a valid digest in C1/S1 keyed with `key`, trying scheme 1 then 0; undefined when neither verifies. */
export function findDigest(packet: Buffer, key: Buffer): { scheme: DigestScheme; offset: number } | undefined {
  for (const scheme of [1, 0] as const) {
    const offset = digestOffset(packet, scheme);
    const expected = computeDigest(packet, offset, key);
    if (timingSafeEqual(expected, packet.subarray(offset, offset + DIGEST_SIZE))) return { scheme, offset };
  }
  return undefined;
}

/** Writes the digest of C1/S1 (keyed with `key`) in place for `scheme`; returns its offset. */
export function imprintDigest(packet: Buffer, scheme: DigestScheme, key: Buffer): number {
  const offset = digestOffset(packet, scheme);
  computeDigest(packet, offset, key).copy(packet, offset);
  return offset;
}

/** The 32-byte signature ending C2/S2: HMAC(key = HMAC(fullKey, peerDigest), data = packet[0..1504]). */
export function responseSignature(packet: Buffer, peerDigest: Buffer, fullKey: Buffer): Buffer {
  const key = createHmac('sha256', fullKey).update(peerDigest).digest();
  return createHmac('sha256', key).update(packet.subarray(0, packet.length - DIGEST_SIZE)).digest();
}

/** Writes the signature of C2/S2 into its last 32 bytes (see responseSignature). */
export function signResponse(packet: Buffer, peerDigest: Buffer, fullKey: Buffer): void {
  responseSignature(packet, peerDigest, fullKey).copy(packet, packet.length - DIGEST_SIZE);
}

/** True when C2/S2 ends with the signature for `peerDigest` (see responseSignature). */
export function verifyResponse(packet: Buffer, peerDigest: Buffer, fullKey: Buffer): boolean {
  return timingSafeEqual(responseSignature(packet, peerDigest, fullKey), packet.subarray(packet.length - DIGEST_SIZE));
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed URLs: `?sign=EXPIRES-HEX` where EXPIRES is a Unix time in seconds and
 * HEX = lowercase hex of HMAC-SHA256(secret, "/app/stream-EXPIRES").
 * The same signature serves every protocol (RTMP publish/play, HTTP-FLV, WS-FLV, HLS playlist and segments).
 */

/** Longest `sign` value looked at (10-digit expiry, dash, 64 hex digits, with room to spare). */
const MAX_SIGN_LENGTH = 128;
const SIGN_FORM = /^(\d{1,12})-([0-9a-f]{64})$/;

/** The HEX part of a signature for `/app/stream` expiring at `expires` (Unix seconds). */
export function signatureHex(secret: string, app: string, stream: string, expires: number): string {
  return createHmac('sha256', secret).update(`/${app}/${stream}-${expires}`).digest('hex');
}

/** The whole `sign` query value for `app/stream`, valid until `expires` (Unix seconds). */
export function signStream(secret: string, app: string, stream: string, expires: number): string {
  return `${expires}-${signatureHex(secret, app, stream, expires)}`;
}

/**
 * Check a `sign` value: true when well formed, unexpired at `nowS` and made with `secret`;
 * otherwise the reason (never containing the signature). The HMAC is compared in constant time.
 */
export function verifySignature(secret: string, app: string, stream: string, sign: string | null | undefined, nowS: number): true | string {
  if (!sign) return 'signature missing';
  if (sign.length > MAX_SIGN_LENGTH) return 'signature malformed';
  const m = SIGN_FORM.exec(sign);
  if (!m) return 'signature malformed';
  const expires = Number(m[1]);
  const given = Buffer.from(m[2]!, 'hex');
  const want = Buffer.from(signatureHex(secret, app, stream, expires), 'hex');
  if (!timingSafeEqual(given, want)) return 'signature invalid';
  if (expires < nowS) return 'signature expired';
  return true;
}

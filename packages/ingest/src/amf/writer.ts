/**
 * Growable big-endian byte sink for the AMF encoders: capacity doubles, so writing n bytes costs O(n) in
 * total (no repeated concatenation). Reference tables make an exact size pass as costly as encoding, so
 * this replaces the compute-size-then-allocate scheme.
 */
export class AmfWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initialCapacity = 256) {
    this.buf = Buffer.alloc(initialCapacity);
  }

  private reserve(n: number): void {
    const want = this.len + n;
    if (want <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(want, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** One unsigned byte. */
  u8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v;
  }

  /** Unsigned 16-bit big-endian. */
  u16(v: number): void {
    this.reserve(2);
    this.len = this.buf.writeUInt16BE(v, this.len);
  }

  /** Unsigned 32-bit big-endian. */
  u32(v: number): void {
    this.reserve(4);
    this.len = this.buf.writeUInt32BE(v, this.len);
  }

  /** IEEE 754 double, big-endian. */
  f64(v: number): void {
    this.reserve(8);
    this.len = this.buf.writeDoubleBE(v, this.len);
  }

  /** Writes `s` as UTF-8; `byteLength` is `Buffer.byteLength(s)`, already computed by the caller for the length prefix. */
  utf8(s: string, byteLength: number): void {
    this.reserve(byteLength);
    this.len += this.buf.write(s, this.len, byteLength, 'utf8');
  }

  /** Raw bytes. */
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** The bytes written so far (trimmed to a buffer of exactly that size). */
  finish(): Buffer {
    return this.len === this.buf.length ? this.buf : Buffer.from(this.buf.subarray(0, this.len));
  }
}

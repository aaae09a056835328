/**
 * MSB-first bit reader for codec headers (H.265 7.2 u(n)/ue(v); AV1 4.10 f(n)/uvlc()). Test tooling:
 * reading past the end throws a RangeError.
 */
export class BitReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  /** Bits read so far. */
  get bitPos(): number {
    return this.pos;
  }

  /** u(n) / f(n): an unsigned n-bit value, n <= 32. */
  u(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.buf[this.pos >> 3];
      if (byte === undefined) throw new RangeError(`bit reader: read past ${this.buf.length} bytes`);
      v = v * 2 + ((byte >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }

  /** One bit as a boolean. */
  flag(): boolean {
    return this.u(1) === 1;
  }

  /** Skip n bits. */
  skip(n: number): void {
    for (let i = 0; i < n; i += 32) this.u(Math.min(32, n - i));
  }

  /** ue(v): unsigned Exp-Golomb (H.265 9.2). */
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) {
      if (++zeros > 31) throw new RangeError('bit reader: Exp-Golomb code longer than 32 bits');
    }
    return 2 ** zeros - 1 + this.u(zeros);
  }

  /** uvlc(): AV1's variable-length unsigned code (AV1 4.10.3). */
  uvlc(): number {
    let zeros = 0;
    while (this.u(1) === 0) {
      if (++zeros >= 32) return 2 ** 32 - 1;
    }
    return this.u(zeros) + 2 ** zeros - 1;
  }
}

import { RemuxError } from '../errors.js';

/** MSB-first bit reader with Exp-Golomb decoding (ISO/IEC 14496-10 7.2, 9.1) over an RBSP. */
export class BitReader {
  private readonly data: Uint8Array;
  private pos = 0;

  constructor(data: Uint8Array) {
    this.data = data;
  }

  /** Bits not yet read. */
  get remaining(): number {
    return this.data.length * 8 - this.pos;
  }

  /** Reads one bit as 0/1. */
  bit(): number {
    if (this.pos >= this.data.length * 8) {
      throw new RemuxError('ERR_REMUX_TRUNCATED', `bit reader: read past end at bit ${this.pos} of ${this.data.length * 8}`);
    }
    const byte = this.data[this.pos >> 3] as number;
    const b = (byte >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return b;
  }

  /** Reads `n` bits (n <= 32) as an unsigned number. */
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }

  /** Skips `n` bits. */
  skip(n: number): void {
    if (n > this.remaining) {
      throw new RemuxError('ERR_REMUX_TRUNCATED', `bit reader: skip of ${n} bits exceeds the ${this.remaining} left`);
    }
    this.pos += n;
  }

  /** ue(v): unsigned Exp-Golomb (14496-10 9.1); at most 31 leading zeros. */
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) {
      zeros++;
      if (zeros > 31) throw new RemuxError('ERR_REMUX_TRUNCATED', `exp-Golomb code has ${zeros} leading zeros (limit 31)`);
    }
    return 2 ** zeros - 1 + this.bits(zeros);
  }

  /** se(v): signed Exp-Golomb (14496-10 9.1.1). */
  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -(k / 2);
  }
}

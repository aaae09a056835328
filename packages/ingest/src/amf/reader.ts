import { IngestError } from '../errors.js';
import { AMF_MAX_DEPTH, AMF_MAX_ELEMENTS } from './limits.js';

/**
 * Bounds-checked big-endian cursor over one AMF message, shared by the AMF0 and AMF3 decoders (so an AMF3
 * value reached through the AMF0 0x11 switch counts towards the same depth and element limits). Every read
 * checks the bytes actually present before touching them; nothing is allocated from a declared length.
 */
export class AmfReader {
  /** Offset of the next unread byte. */
  pos: number;
  private depth = 0;
  private elements = 0;

  constructor(
    readonly buf: Buffer,
    offset: number,
  ) {
    if (!Number.isInteger(offset) || offset < 0 || offset > buf.length) {
      throw new RangeError(`AMF offset ${offset} is outside the buffer (length ${buf.length})`);
    }
    this.pos = offset;
  }

  /** Bytes left after `pos`. */
  remaining(): number {
    return this.buf.length - this.pos;
  }

  /** Throws ERR_AMF_TRUNCATED unless `n` bytes remain; `what` names the value being read. */
  need(n: number, what: string): void {
    if (n > this.buf.length - this.pos) {
      throw new IngestError(
        'ERR_AMF_TRUNCATED',
        `${what} needs ${n} bytes at offset ${this.pos} but only ${this.buf.length - this.pos} remain`,
      );
    }
  }

  /** Checks a declared count of items that take at least `minBytes` each against the bytes present and the element limit. */
  needItems(count: number, minBytes: number, what: string): void {
    const left = this.buf.length - this.pos;
    if (count * minBytes > left) {
      throw new IngestError(
        'ERR_AMF_TRUNCATED',
        `${what} declares ${count} entries (at least ${count * minBytes} bytes) but only ${left} bytes remain`,
      );
    }
    if (this.elements + count > AMF_MAX_ELEMENTS) {
      throw new IngestError(
        'ERR_AMF_TOO_LARGE',
        `${what} declares ${count} entries, which exceeds the limit of ${AMF_MAX_ELEMENTS} values per message`,
      );
    }
  }

  /** Counts one decoded value against {@link AMF_MAX_ELEMENTS}. */
  countValue(): void {
    if (++this.elements > AMF_MAX_ELEMENTS) {
      throw new IngestError('ERR_AMF_TOO_LARGE', `AMF value count exceeds the limit of ${AMF_MAX_ELEMENTS} per message`);
    }
  }

  /** Enters a nested object or array, enforcing {@link AMF_MAX_DEPTH}. */
  enter(what: string): void {
    if (++this.depth > AMF_MAX_DEPTH) {
      throw new IngestError('ERR_AMF_DEPTH', `${what} at offset ${this.pos} nests ${this.depth} deep, over the limit of ${AMF_MAX_DEPTH}`);
    }
  }

  /** Leaves a nested object or array. */
  leave(): void {
    this.depth--;
  }

  /** The next byte, not consumed (the caller has checked it is present). */
  peek(): number {
    return this.buf[this.pos] as number;
  }

  /** One unsigned byte. */
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++] as number;
  }

  /** Unsigned 16-bit big-endian. */
  u16(what: string): number {
    this.need(2, what);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  /** Signed 16-bit big-endian. */
  i16(what: string): number {
    this.need(2, what);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  /** Unsigned 32-bit big-endian. */
  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** IEEE 754 double, big-endian. */
  f64(what: string): number {
    this.need(8, what);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** `len` bytes as UTF-8 (invalid sequences become U+FFFD, as browsers and Flash do). */
  utf8(len: number, what: string): string {
    if (len === 0) return '';
    this.need(len, what);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** A copy of the next `len` bytes (a copy, so a kept value does not pin the whole message). */
  copy(len: number, what: string): Buffer {
    this.need(len, what);
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return out;
  }
}

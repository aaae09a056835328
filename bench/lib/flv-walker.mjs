/**
 * Incremental FLV reader for load-generator viewers: walks the file header and every tag header
 * (11 bytes + the first 2 body bytes), skips bodies without copying them. Input arrives in pieces of
 * any size (a shared receive buffer), so only header bytes are kept between calls.
 */

/** FLV tag types (FLV spec 10.1, E.4.1). */
export const TAG_AUDIO = 8;
export const TAG_VIDEO = 9;
export const TAG_SCRIPT = 18;

/**
 * True when the first two bytes of a video tag body (or RTMP video message) start a coded keyframe:
 * legacy FLV (frame type 1; AVC/HEVC packet type 1 = NALU, not a sequence header) or Enhanced RTMP
 * (IsExHeader, packet type CodedFrames 1 or CodedFramesX 3).
 * @param {number} b0 @param {number} b1
 */
export function isVideoKeyframe(b0, b1) {
  const frameType = (b0 >> 4) & 0x07;
  if (frameType !== 1) return false;
  if (b0 & 0x80) {
    const pkt = b0 & 0x0f;
    return pkt === 1 || pkt === 3;
  }
  const codec = b0 & 0x0f;
  if (codec === 7 || codec === 12) return b1 === 1;
  return true;
}

const S_FILE_HEADER = 0;
const S_TAG_HEADER = 1;
const S_SKIP = 2;


/**
 * @typedef {(type: number, timestamp: number, size: number, keyframe: boolean) => void} OnTag
 */

export class FlvWalker {
  /** @param {OnTag} onTag called once per complete tag header (body not yet necessarily received) */
  constructor(onTag) {
    this.onTag = onTag;
    this.state = S_FILE_HEADER;
    this.head = Buffer.alloc(16);
    this.headLen = 0;
    this.need = 9;
    this.skip = 0;
    /** Malformed input (bad signature); the viewer closes. */
    this.error = '';
  }

  /** Feeds `buf[start, end)`. */
  feed(buf, start, end) {
    let p = start;
    while (p < end) {
      if (this.state === S_SKIP) {
        const n = Math.min(this.skip, end - p);
        this.skip -= n;
        p += n;
        if (this.skip === 0) this.beginTagHeader();
        continue;
      }
      const n = Math.min(this.need - this.headLen, end - p);
      buf.copy(this.head, this.headLen, p, p + n);
      this.headLen += n;
      p += n;
      if (this.headLen < this.need) return;
      if (this.state === S_FILE_HEADER) {
        const h = this.head;
        if (h[0] !== 0x46 || h[1] !== 0x4c || h[2] !== 0x56) {
          this.error = 'not an FLV stream';
          return;
        }
        this.state = S_SKIP;
        this.skip = h.readUInt32BE(5) - 9 + 4; // rest of the header + PreviousTagSize0
        if (this.skip === 0) this.beginTagHeader();
      } else if (this.need === 11) {
        // tag header complete: read the body's first bytes too (fewer if the body is shorter)
        const size = this.head.readUIntBE(1, 3);
        this.need = 11 + Math.min(2, size);
        if (this.headLen >= this.need) this.tagHeaderDone();
      } else {
        this.tagHeaderDone();
      }
    }
  }

  /** @private */
  beginTagHeader() {
    this.state = S_TAG_HEADER;
    this.headLen = 0;
    this.need = 11;
  }

  /** @private */
  tagHeaderDone() {
    const h = this.head;
    const type = h[0] & 0x1f;
    const size = h.readUIntBE(1, 3);
    const ts = (h.readUIntBE(4, 3) | (h[7] << 24)) >>> 0;
    const key = type === TAG_VIDEO && size >= 2 && isVideoKeyframe(h[11], h[12]);
    this.onTag(type, ts, size, key);
    this.state = S_SKIP;
    this.skip = size - (this.need - 11) + 4;
    if (this.skip === 0) this.beginTagHeader();
  }
}


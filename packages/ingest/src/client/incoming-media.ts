import { IngestError } from '../errors.js';
import type { MediaMessage } from '../media/message.js';
import { mediaFromTag } from '../media/tag.js';
import { MessageType } from '../message/types.js';
import type { RtmpMessage } from '../message/types.js';

/** FLV tag header inside an aggregate message (FLV 10.1 E.4.1). */
const TAG_HEADER = 11;
/** PreviousTagSize after each sub-message of an aggregate. */
const BACK_POINTER = 4;
/** The data message a server sends on play to grant sample access: permission, not stream content. */
const SAMPLE_ACCESS = '|RtmpSampleAccess';

/**
 * The MediaMessages one received RTMP message carries (what a played stream delivers):
 * audio (8) and video (9) parsed with parseAudioTag / parseVideoTag, data (18, 15) as DataMessage
 * with `@setDataFrame` stripped, aggregate (22) split into its sub-messages (RTMP 1.0 section 7.1.6).
 * `unwrap` turns the 32-bit timestamps into the contract's unwrapped `dts` (a TimestampUnwrapper);
 * bodies are zero-copy subarrays of the message payload.
 */
export function mediaFromMessage(m: RtmpMessage, unwrap: (ts32: number) => number): MediaMessage[] {
  if (m.typeId !== MessageType.Aggregate) {
    const one = mediaOf(m.typeId, unwrap(m.timestamp), m.payload);
    return one ? [one] : [];
  }
  const out: MediaMessage[] = [];
  const p = m.payload;
  let off = 0;
  let first = -1;
  while (off < p.length) {
    if (p.length - off < TAG_HEADER) throw new IngestError('ERR_RTMP_BAD_MESSAGE', `aggregate: ${p.length - off} bytes left, a tag header needs ${TAG_HEADER}`);
    const size = p.readUIntBE(off + 1, 3);
    const ts = (p.readUIntBE(off + 4, 3) | (p[off + 7]! << 24)) >>> 0;
    const end = off + TAG_HEADER + size;
    if (end > p.length) throw new IngestError('ERR_RTMP_BAD_MESSAGE', `aggregate: sub-message of ${size} bytes overruns the ${p.length}-byte message`);
    if (first < 0) first = ts;
    const one = mediaOf(p[off]! & 0x1f, unwrap((m.timestamp + (ts - first)) >>> 0), p.subarray(off + TAG_HEADER, end));
    if (one) out.push(one);
    off = Math.min(p.length, end + BACK_POINTER);
  }
  return out;
}

function mediaOf(typeId: number, ts: number, body: Buffer): MediaMessage | undefined {
  const m = mediaFromTag(typeId, ts, body);
  return m?.kind === 'data' && m.name === SAMPLE_ACCESS ? undefined : m;
}

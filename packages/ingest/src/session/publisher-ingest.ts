import type { Logger } from 'pino';
import type { LiveStream } from '../bus/live-stream.js';
import { IngestError } from '../errors.js';
import { parseAudioTag, parseVideoTag } from '../flv/index.js';
import { dataFromTag } from '../media/tag.js';
import { MessageType, type RtmpMessage } from '../message/types.js';
import { TimestampUnwrapper } from './timestamp-unwrapper.js';

/** FLV tag header size inside an aggregate message (FLV 10.1 E.4.1). */
const TAG_HEADER = 11;
/** PreviousTagSize after each sub-message of an aggregate. */
const BACK_POINTER = 4;

/**
 * The publisher side of a session: turns audio, video, data and aggregate messages into
 * MediaMessages on the stream's bus entry, with unwrapped timestamps.
 */
export class PublisherIngest {
  /** Monotonic time (ms) of the last media message, for the idle timeout. */
  lastMediaAt: number;
  private readonly clock = new TimestampUnwrapper();

  constructor(
    readonly stream: LiveStream,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {
    this.lastMediaAt = now();
  }

  /** An audio (8), video (9) or aggregate (22) message. */
  media(m: RtmpMessage): void {
    if (m.typeId === MessageType.Aggregate) return this.aggregate(m);
    this.tag(m.typeId, m.timestamp, m.payload);
  }

  /** A data message (18 AMF0, 15 AMF3): `@setDataFrame` is stripped, onMetaData kept for late joiners. */
  data(m: RtmpMessage): void {
    this.dataTag(m.typeId, m.timestamp, m.payload);
  }

  private tag(typeId: number, ts32: number, body: Buffer): void {
    if (body.length === 0) return; // some encoders send empty audio/video messages: nothing to relay
    if (typeId === MessageType.DataAmf0) return this.dataTag(typeId, ts32, body);
    const dts = this.clock.unwrap(ts32);
    if (typeId === MessageType.Video) {
      this.lastMediaAt = this.now();
      this.stream.push(parseVideoTag(body, dts));
    } else if (typeId === MessageType.Audio) {
      this.lastMediaAt = this.now();
      this.stream.push(parseAudioTag(body, dts));
    }
  }

  private dataTag(typeId: number, ts32: number, payload: Buffer): void {
    const msg = dataFromTag(typeId, this.clock.unwrap(ts32), payload);
    if (msg) this.stream.push(msg);
    else this.log.debug('data message without a handler name ignored');
  }

  /** RTMP 1.0 section 7.1.6: sub-messages in FLV tag form, timestamps relative to the first. */
  private aggregate(m: RtmpMessage): void {
    const p = m.payload;
    let off = 0;
    let first = -1;
    while (off < p.length) {
      if (p.length - off < TAG_HEADER) throw new IngestError('ERR_RTMP_BAD_MESSAGE', `aggregate: ${p.length - off} bytes left, a tag header needs ${TAG_HEADER}`);
      const type = p[off]! & 0x1f;
      const size = p.readUIntBE(off + 1, 3);
      const ts = (p.readUIntBE(off + 4, 3) | (p[off + 7]! << 24)) >>> 0;
      const end = off + TAG_HEADER + size;
      if (end > p.length) throw new IngestError('ERR_RTMP_BAD_MESSAGE', `aggregate: sub-message of ${size} bytes overruns the ${p.length}-byte message`);
      if (first < 0) first = ts;
      this.tag(type, (m.timestamp + (ts - first)) >>> 0, p.subarray(off + TAG_HEADER, end));
      off = Math.min(p.length, end + BACK_POINTER);
    }
  }
}

import { MAX_CHUNK_SIZE } from '../chunk/limits.js';
import { IngestError } from '../errors.js';
import { MessageType, PROTOCOL_CONTROL_CSID } from './types.js';
import type { RtmpMessage } from './types.js';

/**
 * Protocol control messages (Adobe RTMP specification 1.0, section 5.4) and user control
 * messages (section 6.2, 7.1.7): builders return a message ready for encodeChunks (chunk stream 2,
 * message stream 0, timestamp 0 as spec 5.4 requires); parsers read a received payload and throw
 * IngestError with ERR_RTMP_BAD_MESSAGE (ERR_RTMP_CHUNK_SIZE for Set Chunk Size) when it is short.
 * Extra trailing bytes are ignored: the fields are fixed-size and a longer payload still carries them.
 */

/** Set Peer Bandwidth limit types (spec 5.4.5). */
export const PeerBandwidthLimit = {
  /** The peer SHOULD limit its output bandwidth to the indicated window size. */
  Hard: 0,
  /** The peer SHOULD limit to this window or the limit already in effect, whichever is smaller. */
  Soft: 1,
  /** Hard if the previous limit type was Hard, otherwise ignored. */
  Dynamic: 2,
} as const;

/** A Set Peer Bandwidth limit type (spec 5.4.5). */
export type PeerBandwidthLimitType = (typeof PeerBandwidthLimit)[keyof typeof PeerBandwidthLimit];

/** User control event types (spec 7.1.7). */
export const UserControlEvent = {
  StreamBegin: 0,
  StreamEOF: 1,
  StreamDry: 2,
  SetBufferLength: 3,
  StreamIsRecorded: 4,
  PingRequest: 6,
  PingResponse: 7,
} as const;

/** One of the user control event types the spec defines (spec 7.1.7). */
export type UserControlEventType = (typeof UserControlEvent)[keyof typeof UserControlEvent];

/**
 * A decoded user control message (spec 7.1.7): a 2-byte event type, then event data that is one
 * 4-byte value for every defined event (a stream id, or a timestamp for the ping events) plus a
 * 4-byte buffer length for SetBufferLength.
 */
export interface UserControl {
  /** Event type; see UserControlEvent. Types the spec does not define (26, 27, 31, 32 from some servers) pass through. */
  event: number;
  /** Stream id (stream events) or timestamp (PingRequest, PingResponse); 0 for an undefined event with under 4 bytes. */
  value: number;
  /** SetBufferLength: the client's buffer length in ms; 0 for other events. */
  bufferLengthMs: number;
  /** The event data after the 2-byte event type (a subarray of the payload). */
  data: Buffer;
}

/** Set Peer Bandwidth content (spec 5.4.5). */
export interface PeerBandwidth {
  /** Acknowledgement window size in bytes. */
  size: number;
  /** 0 hard, 1 soft, 2 dynamic; other bytes are passed through for the session to judge. */
  limitType: number;
}

function control(typeId: number, payload: Buffer): RtmpMessage {
  return { csid: PROTOCOL_CONTROL_CSID, typeId, streamId: 0, timestamp: 0, payload };
}

function uint32(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(value >>> 0, 0);
  return b;
}

function need(payload: Buffer, size: number, what: string): void {
  if (payload.length < size) {
    throw new IngestError('ERR_RTMP_BAD_MESSAGE', `${what} payload is ${payload.length} bytes, expected at least ${size}`);
  }
}

/** Builds Set Chunk Size (spec 5.4.1, type 1); throws ERR_RTMP_CHUNK_SIZE outside 1..0x7FFFFFFF. */
export function setChunkSizeMessage(chunkSize: number): RtmpMessage {
  checkChunkSize(chunkSize);
  return control(MessageType.SetChunkSize, uint32(chunkSize));
}

/** Parses Set Chunk Size (spec 5.4.1); throws ERR_RTMP_CHUNK_SIZE when short, zero or with bit 31 set. */
export function parseSetChunkSize(payload: Buffer): number {
  if (payload.length < 4) {
    throw new IngestError('ERR_RTMP_CHUNK_SIZE', `Set Chunk Size payload is ${payload.length} bytes, expected at least 4`);
  }
  const size = payload.readUInt32BE(0);
  checkChunkSize(size);
  return size;
}

function checkChunkSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > MAX_CHUNK_SIZE) {
    throw new IngestError('ERR_RTMP_CHUNK_SIZE', `chunk size ${size} is outside the range 1..${MAX_CHUNK_SIZE}`);
  }
}

/** Builds Abort Message for chunk stream `csid` (spec 5.4.2, type 2). */
export function abortMessage(csid: number): RtmpMessage {
  return control(MessageType.Abort, uint32(csid));
}

/** Parses Abort Message (spec 5.4.2): the chunk stream id whose partial message is dropped. */
export function parseAbort(payload: Buffer): number {
  need(payload, 4, 'Abort');
  return payload.readUInt32BE(0);
}

/** Builds Acknowledgement (spec 5.4.3, type 3); the byte count is sent modulo 2^32. */
export function acknowledgementMessage(bytesReceived: number): RtmpMessage {
  return control(MessageType.Acknowledgement, uint32(bytesReceived % 0x1_0000_0000));
}

/** Parses Acknowledgement (spec 5.4.3): the sequence number (bytes received so far, 32-bit). */
export function parseAcknowledgement(payload: Buffer): number {
  need(payload, 4, 'Acknowledgement');
  return payload.readUInt32BE(0);
}

/** Builds Window Acknowledgement Size (spec 5.4.4, type 5). */
export function windowAckSizeMessage(windowSize: number): RtmpMessage {
  return control(MessageType.WindowAckSize, uint32(windowSize));
}

/** Parses Window Acknowledgement Size (spec 5.4.4). */
export function parseWindowAckSize(payload: Buffer): number {
  need(payload, 4, 'Window Acknowledgement Size');
  return payload.readUInt32BE(0);
}

/** Builds Set Peer Bandwidth (spec 5.4.5, type 6). */
export function setPeerBandwidthMessage(windowSize: number, limitType: PeerBandwidthLimitType): RtmpMessage {
  const b = Buffer.allocUnsafe(5);
  b.writeUInt32BE(windowSize >>> 0, 0);
  b[4] = limitType;
  return control(MessageType.SetPeerBandwidth, b);
}

/** Parses Set Peer Bandwidth (spec 5.4.5). */
export function parseSetPeerBandwidth(payload: Buffer): PeerBandwidth {
  need(payload, 5, 'Set Peer Bandwidth');
  return { size: payload.readUInt32BE(0), limitType: payload[4]! };
}

/**
 * Builds a User Control Message (spec 6.2, 7.1.7, type 4): `value` is the stream id, or the
 * timestamp for PingRequest/PingResponse; `bufferLengthMs` is written only for SetBufferLength.
 */
export function userControlMessage(event: UserControlEventType, value: number, bufferLengthMs = 0): RtmpMessage {
  const withLength = event === UserControlEvent.SetBufferLength;
  const b = Buffer.allocUnsafe(withLength ? 10 : 6);
  b.writeUInt16BE(event, 0);
  b.writeUInt32BE(value >>> 0, 2);
  if (withLength) b.writeUInt32BE(bufferLengthMs >>> 0, 6);
  return control(MessageType.UserControl, b);
}

const DEFINED_EVENTS: ReadonlySet<number> = new Set(Object.values(UserControlEvent));

/** Parses a User Control Message (spec 6.2, 7.1.7); throws ERR_RTMP_BAD_MESSAGE when a defined event is short. */
export function parseUserControl(payload: Buffer): UserControl {
  need(payload, 2, 'User Control');
  const event = payload.readUInt16BE(0);
  const data = payload.subarray(2);
  let value = 0;
  let bufferLengthMs = 0;
  if (DEFINED_EVENTS.has(event)) {
    const size = event === UserControlEvent.SetBufferLength ? 10 : 6;
    need(payload, size, `User Control event ${event}`);
    value = payload.readUInt32BE(2);
    if (size === 10) bufferLengthMs = payload.readUInt32BE(6);
  } else if (payload.length >= 6) {
    value = payload.readUInt32BE(2);
  }
  return { event, value, bufferLengthMs, data };
}

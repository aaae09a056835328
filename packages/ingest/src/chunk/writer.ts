import { IngestError } from '../errors.js';
import { assertCsid, basicHeaderSize, writeBasicHeader } from './basic-header.js';
import { MAX_CHUNK_SIZE, MAX_WIRE_MESSAGE_LENGTH } from './limits.js';
import {
  EXTENDED_TIMESTAMP_SIZE,
  MESSAGE_HEADER_SIZE,
  hasExtendedTimestamp,
  writeExtendedTimestamp,
  writeMessageHeader,
} from './message-header.js';

/** A message to put on the wire (spec 5.3, 6.1); the same fields RtmpMessage carries. */
export interface OutgoingMessage {
  /** Chunk stream id, 2..65599. */
  csid: number;
  /** Message type id, 0..255. */
  typeId: number;
  /** Message stream id, 32-bit. */
  streamId: number;
  /** Absolute timestamp in ms, taken modulo 2^32 (spec 3: timestamps wrap). */
  timestamp: number;
  /** Message payload, at most 0xFFFFFF bytes (24-bit length field). */
  payload: Buffer;
}

/** Throws ERR_RTMP_CHUNK_SIZE unless `chunkSize` is an integer in 1..0x7FFFFFFF (spec 5.4.1). */
export function assertChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new IngestError('ERR_RTMP_CHUNK_SIZE', `chunk size ${chunkSize} is outside the range 1..${MAX_CHUNK_SIZE}`);
  }
}

/** Bytes encodeChunks writes for `msg` at `chunkSize` (spec 5.3.1): one type 0 header, type 3 headers after. */
export function encodedSize(msg: OutgoingMessage, chunkSize: number): number {
  const length = msg.payload.length;
  const chunks = length === 0 ? 1 : Math.ceil(length / chunkSize);
  const basic = basicHeaderSize(msg.csid);
  const ext = hasExtendedTimestamp(msg.timestamp >>> 0) ? EXTENDED_TIMESTAMP_SIZE : 0;
  return basic + MESSAGE_HEADER_SIZE[0] + ext + length + (chunks - 1) * (basic + ext);
}

/**
 * Serializes one message into chunks (spec 5.3.1, 5.3.2): a type 0 header on the first chunk,
 * type 3 headers on the rest. When the timestamp needs the extended field it is repeated on every
 * type 3 chunk, as Adobe's encoders and ffmpeg's reader expect (spec 5.3.1.3, as amended by Adobe).
 * Allocates exactly once; the result can be written unchanged to any number of peers that share
 * `chunkSize`. Throws ERR_RTMP_CHUNK_SIZE, ERR_RTMP_MESSAGE_TOO_LARGE or ERR_RTMP_BAD_CHUNK for
 * values the wire cannot carry.
 */
export function encodeChunks(msg: OutgoingMessage, chunkSize: number): Buffer {
  assertChunkSize(chunkSize);
  assertCsid(msg.csid);
  const { payload } = msg;
  if (payload.length > MAX_WIRE_MESSAGE_LENGTH) {
    throw new IngestError(
      'ERR_RTMP_MESSAGE_TOO_LARGE',
      `message payload of ${payload.length} bytes exceeds the 24-bit length field limit of ${MAX_WIRE_MESSAGE_LENGTH}`,
    );
  }
  if (!Number.isInteger(msg.typeId) || msg.typeId < 0 || msg.typeId > 255) {
    throw new IngestError('ERR_RTMP_BAD_CHUNK', `message type id ${msg.typeId} is outside the range 0..255`);
  }
  const timestamp = msg.timestamp >>> 0;
  const extended = hasExtendedTimestamp(timestamp);
  const out = Buffer.allocUnsafe(encodedSize(msg, chunkSize));

  let at = writeBasicHeader(out, 0, 0, msg.csid);
  at = writeMessageHeader(out, at, 0, timestamp, payload.length, msg.typeId, msg.streamId);
  if (extended) at = writeExtendedTimestamp(out, at, timestamp);
  let sent = Math.min(chunkSize, payload.length);
  at += payload.copy(out, at, 0, sent);
  while (sent < payload.length) {
    at = writeBasicHeader(out, at, 3, msg.csid);
    if (extended) at = writeExtendedTimestamp(out, at, timestamp);
    const end = Math.min(sent + chunkSize, payload.length);
    at += payload.copy(out, at, sent, end);
    sent = end;
  }
  return out;
}

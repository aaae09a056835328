/**
 * RTMP message type ids and the message the chunk stream layer delivers.
 * Adobe RTMP specification 1.0, section 5.4 (protocol control), 6.2 (user control)
 * and 7.1 (RTMP message types).
 */

/** Message type ids (spec 5.4 and 7.1). */
export const MessageType = {
  /** Set Chunk Size (spec 5.4.1). */
  SetChunkSize: 1,
  /** Abort Message (spec 5.4.2). */
  Abort: 2,
  /** Acknowledgement (spec 5.4.3). */
  Acknowledgement: 3,
  /** User Control Message (spec 6.2, 7.1.7). */
  UserControl: 4,
  /** Window Acknowledgement Size (spec 5.4.4). */
  WindowAckSize: 5,
  /** Set Peer Bandwidth (spec 5.4.5). */
  SetPeerBandwidth: 6,
  /** Audio message: an FLV audio tag body (spec 7.1.4). */
  Audio: 8,
  /** Video message: an FLV video tag body (spec 7.1.5). */
  Video: 9,
  /** Data message, AMF3 (spec 7.1.2). */
  DataAmf3: 15,
  /** Shared object message, AMF3 (spec 7.1.3). */
  SharedObjectAmf3: 16,
  /** Command message, AMF3 (spec 7.1.1). */
  CommandAmf3: 17,
  /** Data message, AMF0 (spec 7.1.2). */
  DataAmf0: 18,
  /** Shared object message, AMF0 (spec 7.1.3). */
  SharedObjectAmf0: 19,
  /** Command message, AMF0 (spec 7.1.1). */
  CommandAmf0: 20,
  /** Aggregate message: a run of FLV-tag-like sub-messages (spec 7.1.6). */
  Aggregate: 22,
} as const;

/** One of the message type ids livegate names (spec 7.1); the wire may carry any byte. */
export type MessageTypeId = (typeof MessageType)[keyof typeof MessageType];

/** True for the protocol control message types 1-6 that the chunk layer and session handle (spec 5.4, 6.2). */
export function isProtocolControl(typeId: number): boolean {
  return typeId >= MessageType.SetChunkSize && typeId <= MessageType.SetPeerBandwidth;
}

/** Chunk stream id reserved for protocol control messages (spec 5.4: "chunk stream ID 2"). */
export const PROTOCOL_CONTROL_CSID = 2;

/**
 * A complete RTMP message as reassembled from its chunks (spec 5.3, 6.1).
 * `payload` may be a subarray of a Buffer the reader was pushed (zero-copy): do not mutate it.
 */
export interface RtmpMessage {
  /** Chunk stream id it arrived on (2..65599). */
  csid: number;
  /** Message type id (spec 7.1); see MessageType. */
  typeId: number;
  /** Message stream id (spec 6.1.1, little-endian on the wire). */
  streamId: number;
  /** Absolute timestamp in ms on this chunk stream, 32-bit, wraps modulo 2^32 (spec 3, 5.3.1.3). */
  timestamp: number;
  /** Message payload. */
  payload: Buffer;
}

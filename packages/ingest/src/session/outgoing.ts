import { encodeAmf0 } from '../amf/index.js';
import { encodeChunks } from '../chunk/index.js';
import {
  PeerBandwidthLimit,
  acknowledgementMessage,
  setChunkSizeMessage,
  setPeerBandwidthMessage,
  userControlMessage,
  windowAckSizeMessage,
  type PeerBandwidthLimitType,
  type UserControlEventType,
} from '../message/control.js';
import { MessageType, type RtmpMessage } from '../message/types.js';
import type { IngestCounters } from './rtmp-session.js';
import type { Transport } from './transport.js';

/** Chunk stream for command messages (ffmpeg, nginx-rtmp and SRS use 3). */
const COMMAND_CSID = 3;
/** Chunk stream for data messages sent outside media (|RtmpSampleAccess). */
const DATA_CSID = 5;
/** Chunk size before a Set Chunk Size (RTMP 1.0 section 5.4.1). */
const DEFAULT_CHUNK_SIZE = 128;

/** Everything a session sends that is not shared media: control, user control, commands. */
export class Outgoing {
  /** The chunk size the peer currently expects from us. */
  chunkSize = DEFAULT_CHUNK_SIZE;
  bytesOut = 0;

  constructor(
    private readonly transport: Transport,
    private readonly counters: IngestCounters,
  ) {}

  /** Bytes already framed (handshake, shared media chunks). */
  raw(b: Buffer): void {
    this.bytesOut += b.length;
    this.counters.bytesOut += b.length;
    this.transport.write(b);
  }

  /** Frame and send one message at the current chunk size. */
  send(m: RtmpMessage): void {
    this.raw(encodeChunks(m, this.chunkSize));
  }

  /** Set Chunk Size; everything after it is framed with the new size. */
  setChunkSize(n: number): void {
    this.send(setChunkSizeMessage(n));
    this.chunkSize = n;
  }

  windowAckSize(n: number): void {
    this.send(windowAckSizeMessage(n));
  }

  setPeerBandwidth(n: number, limit: PeerBandwidthLimitType = PeerBandwidthLimit.Dynamic): void {
    this.send(setPeerBandwidthMessage(n, limit));
  }

  acknowledgement(bytesReceived: number): void {
    this.send(acknowledgementMessage(bytesReceived));
  }

  /** User Control event with its 4-byte value (stream id, or timestamp for pings) (RTMP 1.0 section 7.1.7). */
  userControl(event: UserControlEventType, value: number): void {
    this.send(userControlMessage(event, value));
  }

  /** An AMF0 command message: name, transaction id, command object, arguments (RTMP 1.0 section 7.1.1). */
  command(streamId: number, name: string, txid: number, ...args: unknown[]): void {
    this.send({ csid: COMMAND_CSID, typeId: MessageType.CommandAmf0, streamId, timestamp: 0, payload: encodeAmf0(name, txid, ...(args as never[])) });
  }

  /** An AMF0 data message with an already-encoded payload. */
  data(streamId: number, payload: Buffer): void {
    this.send({ csid: DATA_CSID, typeId: MessageType.DataAmf0, streamId, timestamp: 0, payload });
  }
}

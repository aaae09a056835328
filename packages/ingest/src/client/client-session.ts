import { EventEmitter } from 'node:events';
import { decodeAmf0All, decodeCommandAmf3, encodeAmf0 } from '../amf/index.js';
import type { AmfValue } from '../amf/index.js';
import { ChunkReader, DEFAULT_CHUNK_SIZE, encodeChunks } from '../chunk/index.js';
import type { OutgoingMessage } from '../chunk/index.js';
import { IngestError, isIngestError } from '../errors.js';
import { ClientHandshake } from '../handshake/index.js';
import type { ClientHandshakeOptions } from '../handshake/index.js';
import type { MediaMessage } from '../media/message.js';
import {
  UserControlEvent,
  acknowledgementMessage,
  parseSetPeerBandwidth,
  parseUserControl,
  parseWindowAckSize,
  setChunkSizeMessage,
  userControlMessage,
  windowAckSizeMessage,
} from '../message/control.js';
import type { UserControl } from '../message/control.js';
import { MessageType } from '../message/types.js';
import type { RtmpMessage } from '../message/types.js';
import { TimestampUnwrapper } from '../session/timestamp-unwrapper.js';
import type { ClientTransport } from './client-transport.js';
import { mediaFromMessage } from './incoming-media.js';
import { RtmpStatusError, statusOf } from './status.js';
import type { RtmpStatus } from './status.js';

/** Chunk stream for command messages (ffmpeg, OBS and livegate's server use 3). */
export const CLIENT_COMMAND_CSID = 3;

/** Limits of what the client accepts from a server. */
export interface ClientSessionLimits {
  /** Largest message reassembled (bytes); see DEFAULT_MAX_MESSAGE_SIZE. */
  maxMessageSize?: number;
  /** Chunk streams the server may open. */
  maxChunkStreams?: number;
}

/** Options of RtmpClientSession. */
export interface ClientSessionOptions extends ClientSessionLimits {
  transport: ClientTransport;
  handshake?: ClientHandshakeOptions;
}

/** What a client session reports (typed EventEmitter events). */
export interface ClientSessionEvents {
  /** An onStatus command (RTMP 1.0 section 7.2.2) on message stream `streamId` (0 for NetConnection). */
  status: [streamId: number, info: RtmpStatus];
  /** A user control event other than pings, which the session answers itself (spec 7.1.7). */
  userControl: [event: UserControl];
  /** An audio, video or data message from a played stream (decoded; `|RtmpSampleAccess` is not media and is dropped). */
  media: [msg: MediaMessage, streamId: number];
  /** The connection is over; every pending call has been rejected. Emitted once. */
  close: [reason: string, error: IngestError | undefined];
}

type Pending = { resolve: (values: AmfValue[]) => void; reject: (e: unknown) => void; name: string };

/**
 * The protocol side of livegate's RTMP client, driven by bytes in (`receive`) and bytes out (the
 * transport), like the server's RtmpSession: handshake (spec 5.2), chunk stream (5.3), protocol
 * control (5.4: chunk size, acknowledgements, peer bandwidth), user control pings (7.1.7), and
 * AMF0 commands with transaction ids (7.2). No socket and no timer: RtmpClient adds both.
 */
export class RtmpClientSession extends EventEmitter<ClientSessionEvents> {
  /** Chunk size our outgoing messages are framed with (spec 5.4.1); 128 until setChunkSize. */
  chunkSize = DEFAULT_CHUNK_SIZE;
  /** Bytes written to the transport. */
  bytesOut = 0;
  /** Version the server put in S1 bytes 4-7, once the handshake is done. */
  serverVersion = '';

  private phase: 'idle' | 'handshake' | 'open' | 'closed' = 'idle';
  private readonly handshake: ClientHandshake;
  private readonly reader: ChunkReader;
  private readonly transport: ClientTransport;
  private readonly pending = new Map<number, Pending>();
  private nextTxid = 1;
  /** Window Acknowledgement Size the server asked for (spec 5.4.4); 0: no acknowledgements. */
  private ackWindow = 0;
  private lastAckAt = 0;
  /** Window we last announced with Window Acknowledgement Size, answering Set Peer Bandwidth (spec 5.4.5). */
  private announcedWindow = 0;
  /** Played media timestamps, unwrapped past 2^32 as the MediaMessage contract promises. */
  private readonly clock = new TimestampUnwrapper();
  /** S0+S1+S2 bytes (not part of the chunk stream the acknowledgements count). */
  private handshakeBytes = 0;
  private readonly handshakeDone: Promise<void>;
  private settleHandshake: ((e?: unknown) => void) | undefined;

  constructor(opts: ClientSessionOptions) {
    super();
    this.transport = opts.transport;
    this.handshake = new ClientHandshake(opts.handshake);
    this.reader = new ChunkReader({
      maxMessageSize: opts.maxMessageSize,
      maxChunkStreams: opts.maxChunkStreams,
      onMessage: (m) => this.onMessage(m),
    });
    this.handshakeDone = new Promise<void>((resolve, reject) => {
      this.settleHandshake = (e) => (e === undefined ? resolve() : reject(e));
    });
    this.handshakeDone.catch(() => undefined); // observed through ready(); never an unhandled rejection
  }

  /** True once closed (by either side or by an error). */
  get closed(): boolean {
    return this.phase === 'closed';
  }

  /** Bytes received from the server, handshake included. */
  get bytesIn(): number {
    return this.handshakeBytes + this.reader.bytesReceived;
  }

  /** Sends C0+C1 (spec 5.2.2, 5.2.3); resolves when the handshake is complete, rejects when the connection ends first. */
  start(): Promise<void> {
    if (this.phase !== 'idle') throw new Error('RtmpClientSession.start() called twice');
    this.phase = 'handshake';
    this.raw(this.handshake.start());
    return this.handshakeDone;
  }

  /** Feed bytes from the server. A protocol error closes the session (the `close` event carries it). */
  receive(data: Buffer): void {
    if (this.phase === 'closed' || this.phase === 'idle') return;
    try {
      if (this.phase === 'handshake') {
        const step = this.handshake.push(data);
        this.handshakeBytes += data.length - (step.rest?.length ?? 0);
        for (const b of step.out) this.raw(b);
        if (!step.done) return;
        this.phase = 'open';
        this.serverVersion = this.handshake.serverVersion;
        this.settleHandshake?.();
        if (!step.rest) return;
        data = step.rest;
      }
      this.reader.push(data);
      this.maybeAck();
    } catch (e) {
      this.fail(e);
    }
  }

  /** The transport closed (server hung up, socket error): ends the session. */
  transportClosed(reason = 'server closed the connection'): void {
    this.finish(reason, new IngestError('ERR_CLIENT_CLOSED', reason));
  }

  /** Ends the session from our side: flushes what is queued, then closes the transport. Idempotent. */
  close(reason = 'closed by client'): void {
    if (this.phase === 'closed') return;
    this.finish(reason, undefined);
    this.transport.end();
  }

  /** Closes now, dropping queued bytes (after a timeout or a protocol error). Idempotent. */
  destroy(reason: string, error?: IngestError): void {
    if (this.phase === 'closed') return;
    this.finish(reason, error ?? new IngestError('ERR_CLIENT_CLOSED', reason));
    this.transport.destroy();
  }

  /**
   * Sends an AMF0 command and resolves with the values of its `_result` (name and transaction id
   * dropped: `[commandObject, ...args]`), spec 7.2.1.1. `_error` rejects with RtmpStatusError
   * (ERR_CLIENT_REFUSED); the end of the connection rejects with ERR_CLIENT_CLOSED.
   */
  call(name: string, streamId: number, commandObject: AmfValue, ...args: AmfValue[]): Promise<AmfValue[]> {
    if (this.phase !== 'open') return Promise.reject(new IngestError('ERR_CLIENT_CLOSED', `${name}: the connection is not open`));
    const txid = this.nextTxid++;
    const p = new Promise<AmfValue[]>((resolve, reject) => this.pending.set(txid, { resolve, reject, name }));
    this.command(name, txid, streamId, commandObject, ...args);
    return p;
  }

  /** Sends an AMF0 command whose answer is not awaited (transaction id 0 unless given, spec 7.2.1). */
  notify(name: string, streamId: number, commandObject: AmfValue, ...args: AmfValue[]): void {
    this.command(name, 0, streamId, commandObject, ...args);
  }

  /** Sends an AMF0 command with a fresh transaction id whose answer is ignored (releaseStream, FCPublish: ffmpeg ignores them too). */
  fire(name: string, streamId: number, commandObject: AmfValue, ...args: AmfValue[]): void {
    this.command(name, this.nextTxid++, streamId, commandObject, ...args);
  }

  /** Set Chunk Size (spec 5.4.1): everything sent after it is framed with `n`. */
  setChunkSize(n: number): void {
    this.send(setChunkSizeMessage(n));
    this.chunkSize = n;
  }

  /** User Control SetBufferLength for a stream about to play (spec 7.1.7, event 3). */
  setBufferLength(streamId: number, ms: number): void {
    this.send(userControlMessage(UserControlEvent.SetBufferLength, streamId, ms));
  }

  /** Resolves once the transport's send queue has room again (at once when it has, or when closed). */
  drain(): Promise<void> {
    return this.phase === 'closed' ? Promise.resolve() : this.transport.drain();
  }

  /** Stops (false) or resumes (true) reading from the server: receive-side backpressure. */
  setReading(on: boolean): void {
    if (on) this.transport.resume();
    else this.transport.pause();
  }

  /** Frames `msg` at the current chunk size and writes it; false means wait for the transport's drain. */
  send(msg: OutgoingMessage): boolean {
    if (this.phase === 'closed') throw new IngestError('ERR_CLIENT_CLOSED', `cannot send message type ${msg.typeId}: the connection is closed`);
    return this.raw(encodeChunks(msg, this.chunkSize));
  }

  private command(name: string, txid: number, streamId: number, commandObject: AmfValue, ...args: AmfValue[]): void {
    const payload = encodeAmf0(name, txid, commandObject, ...args);
    this.send({ csid: CLIENT_COMMAND_CSID, typeId: MessageType.CommandAmf0, streamId, timestamp: 0, payload });
  }

  private raw(b: Buffer): boolean {
    this.bytesOut += b.length;
    return this.transport.write(b);
  }

  /**
   * Spec 5.4.3: acknowledge once a window's worth of bytes has arrived since the last acknowledgement.
   * The sequence number counts chunk-stream bytes after the handshake, as livegate's server does.
   */
  private maybeAck(): void {
    if (this.ackWindow <= 0 || this.phase !== 'open') return;
    const received = this.reader.bytesReceived;
    if (received - this.lastAckAt >= this.ackWindow) {
      this.lastAckAt = received;
      this.send(acknowledgementMessage(received));
    }
  }

  private onMessage(m: RtmpMessage): void {
    if (this.phase === 'closed') return;
    switch (m.typeId) {
      case MessageType.WindowAckSize:
        this.ackWindow = parseWindowAckSize(m.payload);
        return;
      case MessageType.SetPeerBandwidth: {
        // Spec 5.4.5: answer with Window Acknowledgement Size when the window differs from the last one sent.
        const { size } = parseSetPeerBandwidth(m.payload);
        if (size !== this.announcedWindow) {
          this.announcedWindow = size;
          this.send(windowAckSizeMessage(size));
        }
        return;
      }
      case MessageType.UserControl: {
        const uc = parseUserControl(m.payload);
        if (uc.event === UserControlEvent.PingRequest) this.send(userControlMessage(UserControlEvent.PingResponse, uc.value));
        else if (uc.event !== UserControlEvent.PingResponse) this.emit('userControl', uc);
        return;
      }
      case MessageType.CommandAmf0:
      case MessageType.CommandAmf3:
        this.onCommand(m.streamId, m.typeId === MessageType.CommandAmf3 ? decodeCommandAmf3(m.payload) : decodeAmf0All(m.payload));
        return;
      case MessageType.Audio:
      case MessageType.Video:
      case MessageType.Aggregate:
      case MessageType.DataAmf0:
      case MessageType.DataAmf3:
        for (const msg of mediaFromMessage(m, (ts) => this.clock.unwrap(ts))) this.emit('media', msg, m.streamId);
        return;
      default:
        return; // Set Chunk Size and Abort are applied by the reader; Acknowledgement and shared objects need nothing
    }
  }

  private onCommand(streamId: number, values: AmfValue[]): void {
    const [name, txid] = values;
    if (typeof name !== 'string') throw new IngestError('ERR_RTMP_BAD_COMMAND', `command name is ${typeof name}, not a string`);
    if (name === '_result' || name === '_error') {
      const p = typeof txid === 'number' ? this.pending.get(txid) : undefined;
      if (!p) return; // an answer to a fire-and-forget command (releaseStream, FCPublish, ...)
      this.pending.delete(txid as number);
      if (name === '_result') p.resolve(values.slice(2));
      else p.reject(new RtmpStatusError(p.name, statusOf(values.slice(2))));
      return;
    }
    if (name === 'onStatus') this.emit('status', streamId, statusOf(values.slice(2)));
    // onBWDone, onFCPublish, onFCUnpublish and server calls need no answer from a publisher or player.
  }

  private fail(e: unknown): void {
    const err = isIngestError(e) ? e : new IngestError('ERR_CLIENT_CLOSED', `internal error: ${String(e)}`, { cause: e });
    this.destroy(`${err.code}: ${err.message}`, err);
  }

  private finish(reason: string, error: IngestError | undefined): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    const err = error ?? new IngestError('ERR_CLIENT_CLOSED', reason);
    this.settleHandshake?.(err);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.emit('close', reason, error);
  }
}

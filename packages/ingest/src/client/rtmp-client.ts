import { EventEmitter } from 'node:events';
import { ecmaArray, encodeAmf0 } from '../amf/index.js';
import type { AmfObject, AmfValue } from '../amf/index.js';
import { IngestError } from '../errors.js';
import type { MediaMessage } from '../media/message.js';
import { UserControlEvent } from '../message/control.js';
import type { UserControl } from '../message/control.js';
import { MessageType } from '../message/types.js';
import { RtmpClientSession } from './client-session.js';
import type { ClientSessionLimits } from './client-session.js';
import { openClientSocket } from './rtmp-client-socket.js';
import type { TlsConnectOptions } from './rtmp-client-socket.js';
import { RtmpStatusError, isErrorStatus, statusOf } from './status.js';
import type { RtmpStatus } from './status.js';
import { parseRtmpUrl } from './url.js';
import type { RtmpTarget } from './url.js';

/** Default bound on each step: TCP/TLS connect, handshake + connect command, createStream, publish, play, close. */
export const DEFAULT_CLIENT_TIMEOUT_MS = 10_000;
/** Chunk size a publisher announces before media (ffmpeg and OBS use 4096; 128 would cost ~1% in headers). */
export const CLIENT_PUBLISH_CHUNK_SIZE = 4096;
/** `flashVer` of the connect command; FMLE-style, as ffmpeg's publisher sends (`FMLE/3.0 (compatible; Lavf...)`). */
export const CLIENT_FLASH_VER = 'FMLE/3.0 (compatible; livegate)';
/** Enhanced RTMP v1 codecs announced in connect's `fourCcList` (video and audio FourCCs livegate can carry). */
export const CLIENT_FOURCC_LIST: readonly string[] = ['av01', 'vp09', 'hvc1', 'avc1', 'Opus', 'ac-3', 'ec-3', 'mp4a', 'fLaC', '.mp3'];
/** Buffer length a player announces with User Control SetBufferLength (ms), as Flash and ffmpeg do. */
const PLAY_BUFFER_MS = 3000;
/** Played messages queued for a slow async iterator before the socket stops being read. */
const ITERATOR_HIGH_WATER = 1024;
/** Chunk streams of our media (any 3..65599 works; these are the ones ffmpeg/OBS-style publishers use). */
const CSID = { audio: 4, video: 6, data: 5 } as const;

/** Options of RtmpClient.connect. */
export interface RtmpClientOptions extends ClientSessionLimits {
  /** Bound in ms on each step (see DEFAULT_CLIENT_TIMEOUT_MS); a step that times out destroys the connection. */
  timeoutMs?: number;
  /** TLS options for `rtmps://` (e.g. `{ rejectUnauthorized: false }` or `{ ca }`). */
  tls?: TlsConnectOptions;
  /** connect's flashVer (default CLIENT_FLASH_VER). */
  flashVer?: string;
}

/** Events of RtmpClient. */
export interface RtmpClientEvents {
  /** A played audio, video or data message, in arrival order. */
  message: [msg: MediaMessage];
  /** Playback ended (Play.UnpublishNotify, Play.Stop, StreamEOF, or the connection closed). Emitted once, after play(). */
  end: [reason: string];
  /** Any onStatus the server sent (NetConnection or NetStream). */
  status: [info: RtmpStatus];
  /** The connection closed; `error` is set when it did not close at our request. Emitted once. */
  close: [reason: string, error: IngestError | undefined];
}

/**
 * livegate's RTMP/RTMPS client (Adobe RTMP specification 1.0; Enhanced RTMP v1 `fourCcList`):
 * publishes a stream (FMLE command order) or plays one. Every promise settles: on the answer, on a
 * refusal (RtmpStatusError, ERR_CLIENT_REFUSED), on the end of the connection (ERR_CLIENT_CLOSED)
 * or after `timeoutMs` (ERR_CLIENT_TIMEOUT).
 */
export class RtmpClient extends EventEmitter<RtmpClientEvents> {
  /** The connect command's properties object from `_result` (fmsVer, capabilities, E-RTMP fourCcList...). */
  serverProperties: Readonly<Record<string, unknown>> = {};
  /** The connect `_result` info (NetConnection.Connect.Success). */
  connectInfo: RtmpStatus | undefined;
  private role: { kind: 'publish' | 'play'; name: string; streamId: number } | undefined;
  private ended = false;
  private readonly queue: MediaMessage[] = [];
  private wake: (() => void) | undefined;
  private iterating = false;
  private paused = false;

  private constructor(
    private readonly session: RtmpClientSession,
    readonly target: RtmpTarget,
    private readonly timeoutMs: number,
    private readonly socketClosed: Promise<void>,
  ) {
    super();
    session.on('status', (streamId, info) => this.onStatus(streamId, info));
    session.on('userControl', (uc) => this.onUserControl(uc));
    session.on('media', (msg) => this.onMedia(msg));
    session.on('close', (reason, error) => {
      this.endPlay(reason);
      this.wake?.();
      this.emit('close', reason, error);
    });
  }

  /**
   * Connects to `rtmp[s]://host[:port]/app`: TCP/TLS, handshake (spec 5.2), then the `connect` command
   * (spec 7.2.1.1) with app, flashVer, tcUrl, type `nonprivate`, E-RTMP `fourCcList` and
   * objectEncoding 0; resolves on its `_result`.
   */
  static async connect(url: string, opts: RtmpClientOptions = {}): Promise<RtmpClient> {
    const target = parseRtmpUrl(url);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS;
    let session: RtmpClientSession | undefined;
    const early: Buffer[] = [];
    let closedEarly = false;
    const sock = await openClientSocket(
      { host: target.host, port: target.port, tls: target.secure ? (opts.tls ?? {}) : undefined },
      {
        data: (b) => (session ? session.receive(b) : early.push(b)),
        closed: (e) => (session ? session.transportClosed(e ? `connection error: ${e.message}` : undefined) : (closedEarly = true)),
      },
      timeoutMs,
    );
    session = new RtmpClientSession({ transport: sock.transport, maxMessageSize: opts.maxMessageSize, maxChunkStreams: opts.maxChunkStreams });
    const client = new RtmpClient(session, target, timeoutMs, sock.closed);
    const handshake = session.start();
    for (const b of early.splice(0)) session.receive(b);
    if (closedEarly) session.transportClosed();
    try {
      await client.bounded(handshake, 'handshake');
      await client.sendConnect(opts.flashVer ?? CLIENT_FLASH_VER);
    } catch (e) {
      session.destroy(`connect failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    return client;
  }

  /** The connect command (spec 7.2.1.1) and its `_result`. */
  private async sendConnect(flashVer: string): Promise<void> {
    const { target } = this;
    const cmd: Record<string, AmfValue> = {
      app: target.app,
      type: 'nonprivate',
      flashVer,
      tcUrl: target.tcUrl,
      fourCcList: [...CLIENT_FOURCC_LIST],
      objectEncoding: 0,
    };
    const [props, info] = await this.bounded(this.session.call('connect', 0, cmd), 'connect');
    this.serverProperties = asRecord(props);
    this.connectInfo = statusOf([info ?? null]);
  }

  /** The server's E-RTMP `fourCcList` from connect's `_result`, when it sent one. */
  get serverFourCcList(): string[] | undefined {
    const l = this.serverProperties.fourCcList;
    return Array.isArray(l) ? l.filter((x): x is string => typeof x === 'string') : undefined;
  }

  /** True once the connection has closed. */
  get closed(): boolean {
    return this.session.closed;
  }

  /** Bytes received / sent on this connection. */
  get bytesIn(): number {
    return this.session.bytesIn;
  }
  get bytesOut(): number {
    return this.session.bytesOut;
  }

  /**
   * Publishes `streamName` live (FMLE order: Set Chunk Size, releaseStream, FCPublish, createStream,
   * publish(name, 'live'); spec 7.2.2.6). Resolves on NetStream.Publish.Start; an error status rejects
   * with RtmpStatusError (e.g. `NetStream.Publish.BadName` when the key is taken).
   */
  async publish(streamName: string): Promise<void> {
    this.claimRole('publish');
    this.session.setChunkSize(CLIENT_PUBLISH_CHUNK_SIZE);
    this.session.fire('releaseStream', 0, null, streamName);
    this.session.fire('FCPublish', 0, null, streamName);
    const streamId = await this.createStream();
    this.role = { kind: 'publish', name: streamName, streamId };
    const started = this.awaitStatus(streamId, 'publish', ['NetStream.Publish.Start']);
    this.session.fire('publish', streamId, null, streamName, 'live');
    await this.bounded(started, 'publish');
  }

  /**
   * Plays `streamName` (createStream, SetBufferLength, play(name, start); spec 7.2.2.1: start -2 plays
   * a live stream or else a recorded one, -1 live only). Resolves on NetStream.Play.Start; media then
   * arrives as `message` events and through messages(); `end` follows UnpublishNotify, Play.Stop,
   * StreamEOF or the close of the connection. A missing stream rejects with `NetStream.Play.StreamNotFound`.
   */
  async play(streamName: string, start: -2 | -1 = -2): Promise<void> {
    this.claimRole('play');
    const streamId = await this.createStream();
    this.role = { kind: 'play', name: streamName, streamId };
    const started = this.awaitStatus(streamId, 'play', ['NetStream.Play.Start']);
    this.session.setBufferLength(streamId, PLAY_BUFFER_MS);
    this.session.fire('play', streamId, null, streamName, start);
    await this.bounded(started, 'play');
  }

  /**
   * receiveVideo / receiveAudio on the playing stream (spec 7.2.2.4-5): whether the server sends
   * this kind of media; switched back on, video resumes at a keyframe.
   */
  receive(kind: 'audio' | 'video', on: boolean): void {
    const r = this.role;
    if (r?.kind !== 'play') throw new Error(`RtmpClient.receive(): this connection is not playing`);
    this.session.notify(kind === 'audio' ? 'receiveAudio' : 'receiveVideo', r.streamId, null, on);
  }

  /** Sends one FLV video tag body (RTMP message type 9) at `timestamp` ms; false means await drain(). */
  sendVideo(body: Buffer, timestamp: number): boolean {
    return this.sendMedia('video', MessageType.Video, body, timestamp);
  }

  /** Sends one FLV audio tag body (RTMP message type 8) at `timestamp` ms; false means await drain(). */
  sendAudio(body: Buffer, timestamp: number): boolean {
    return this.sendMedia('audio', MessageType.Audio, body, timestamp);
  }

  /** Sends an AMF0 data message (type 18) whose payload is already encoded; false means await drain(). */
  sendData(payload: Buffer, timestamp: number): boolean {
    return this.sendMedia('data', MessageType.DataAmf0, payload, timestamp);
  }

  /** Sends `@setDataFrame onMetaData {…}` (an ECMA array, as encoders send it); false means await drain(). */
  sendMetadata(metadata: Readonly<Record<string, AmfValue>>, timestamp = 0): boolean {
    return this.sendData(encodeAmf0('@setDataFrame', 'onMetaData', ecmaArray(metadata)), timestamp);
  }

  /** Resolves once the socket's send queue has room again (at once if it has), or the connection closed. */
  drain(): Promise<void> {
    return this.session.drain();
  }

  /**
   * The played messages as an async iterator that ends with playback. Messages queue while the
   * consumer is busy; past ITERATOR_HIGH_WATER the socket is paused (TCP backpressure), so the queue stays bounded.
   * Messages are queued from this call on: call it before play() to miss nothing.
   */
  messages(): AsyncGenerator<MediaMessage, void, undefined> {
    if (this.iterating) throw new Error('RtmpClient.messages() is already being iterated');
    this.iterating = true;
    return this.iterate();
  }

  private async *iterate(): AsyncGenerator<MediaMessage, void, undefined> {
    try {
      for (;;) {
        const m = this.queue.shift();
        if (m !== undefined) {
          if (this.paused && this.queue.length < ITERATOR_HIGH_WATER / 2) this.setPaused(false);
          yield m;
          continue;
        }
        if (this.ended || this.session.closed) return;
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
      }
    } finally {
      this.iterating = false;
      this.queue.length = 0;
      this.setPaused(false);
    }
  }

  /**
   * Stops publishing or playing and closes: FCUnpublish + deleteStream for a publisher, deleteStream
   * for a player (spec 7.2.2.3), then ends the socket. Resolves once the socket has closed (bounded by
   * timeoutMs, after which it is destroyed). Idempotent.
   */
  async close(): Promise<void> {
    if (!this.session.closed) {
      const r = this.role;
      try {
        if (r?.kind === 'publish') this.session.fire('FCUnpublish', 0, null, r.name);
        if (r) this.session.notify('deleteStream', 0, null, r.streamId);
      } catch {
        // the connection closed under us: nothing left to say
      }
      this.session.close('closed by client');
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), this.timeoutMs)));
    const first = await Promise.race([this.socketClosed, timeout]);
    clearTimeout(timer);
    if (first === 'timeout') this.session.destroy('close timed out');
    await this.socketClosed;
  }

  private claimRole(kind: 'publish' | 'play'): void {
    if (this.role) throw new Error(`RtmpClient.${kind}(): this connection already ${this.role.kind}s ${this.role.name}`);
  }

  private async createStream(): Promise<number> {
    const [, id] = await this.bounded(this.session.call('createStream', 0, null), 'createStream');
    if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) {
      const err = new IngestError('ERR_RTMP_BAD_COMMAND', `createStream answered stream id ${String(id)}, not a positive integer`);
      this.session.destroy(err.message, err);
      throw err;
    }
    return id;
  }

  /** Resolves on one of `codes` on `streamId`, rejects on an error status there (or on NetConnection). */
  private awaitStatus(streamId: number, what: string, codes: readonly string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onStatus = (sid: number, info: RtmpStatus) => {
        if (codes.includes(info.code) && sid === streamId) settle();
        else if (isErrorStatus(info) && (sid === streamId || sid === 0)) settle(new RtmpStatusError(what, info));
      };
      const onClose = (reason: string, error: IngestError | undefined) =>
        settle(error ?? new IngestError('ERR_CLIENT_CLOSED', `${what}: connection closed (${reason})`));
      const settle = (e?: unknown) => {
        this.session.off('status', onStatus);
        this.session.off('close', onClose);
        if (e === undefined) resolve();
        else reject(e);
      };
      if (this.session.closed) return settle(new IngestError('ERR_CLIENT_CLOSED', `${what}: the connection is closed`));
      this.session.on('status', onStatus);
      this.session.on('close', onClose);
    });
  }

  /** `p`, or ERR_CLIENT_TIMEOUT after timeoutMs (the connection is then destroyed, which settles everything else). */
  private bounded<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new IngestError('ERR_CLIENT_TIMEOUT', `${what}: no answer from ${this.target.host}:${this.target.port} within ${this.timeoutMs} ms`);
        this.session.destroy(err.message, err);
        reject(err);
      }, this.timeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  private sendMedia(kind: keyof typeof CSID, typeId: number, payload: Buffer, timestamp: number): boolean {
    const r = this.role;
    if (r?.kind !== 'publish') throw new Error(`RtmpClient: send ${kind} before publish() resolved`);
    return this.session.send({ csid: CSID[kind], typeId, streamId: r.streamId, timestamp, payload });
  }

  private onStatus(streamId: number, info: RtmpStatus): void {
    this.emit('status', info);
    const r = this.role;
    if (r?.kind === 'play' && streamId === r.streamId && (info.code === 'NetStream.Play.UnpublishNotify' || info.code === 'NetStream.Play.Stop')) {
      this.endPlay(info.code);
    }
  }

  private onUserControl(uc: UserControl): void {
    const r = this.role;
    if (r?.kind === 'play' && uc.event === UserControlEvent.StreamEOF && uc.value === r.streamId) this.endPlay('StreamEOF');
  }

  private onMedia(msg: MediaMessage): void {
    if (this.role?.kind !== 'play' || this.ended) return;
    this.emit('message', msg);
    if (!this.iterating) return;
    this.queue.push(msg);
    if (this.queue.length >= ITERATOR_HIGH_WATER) this.setPaused(true);
    this.wake?.();
  }

  private endPlay(reason: string): void {
    if (this.ended || this.role?.kind !== 'play') return;
    this.ended = true;
    this.wake?.();
    this.emit('end', reason);
  }

  private setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.session.setReading(!paused);
  }
}

function asRecord(v: AmfValue | undefined): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date) ? (v as AmfObject) : {};
}

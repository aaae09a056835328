import type { Logger } from 'pino';
import { decodeAmf0All, decodeCommandAmf3, encodeAmf0 } from '../amf/index.js';
import { ChunkReader } from '../chunk/index.js';
import { IngestError, isIngestError } from '../errors.js';
import { ServerHandshake } from '../handshake/index.js';
import { MessageType, type RtmpMessage } from '../message/types.js';
import { UserControlEvent, parseUserControl } from '../message/control.js';
import type { StreamBus } from '../bus/stream-bus.js';
import type { LiveStream } from '../bus/live-stream.js';
import type { CloseReason, Subscription } from '../bus/subscription.js';
import { Outgoing } from './outgoing.js';
import { PublisherIngest } from './publisher-ingest.js';
import { PlayerSink } from './player-sink.js';
import type { RtmpFanouts } from './rtmp-fanouts.js';
import type { Fanout } from '../bus/fanout.js';
import { isValidName, parseApp, splitQuery } from './names.js';
import { statusInfo } from './status.js';
import type { Transport } from './transport.js';

/** Limits and timings of one RTMP connection (from the config). */
export interface SessionLimits {
  /** Largest message accepted from the peer (bytes). */
  maxMessageSize: number;
  /** Chunk streams the peer may open. */
  maxChunkStreams: number;
  /** Chunk size livegate sends with. */
  chunkSize: number;
  /** Window Acknowledgement Size / Set Peer Bandwidth sent on connect. */
  ackWindow: number;
  /** Handshake must complete within this many ms. */
  handshakeTimeoutMs: number;
  /** A publisher with no media, or a connection doing nothing, is closed after this many ms (0: never). */
  idleTimeoutMs: number;
}

/** Counters the server aggregates into /metrics. */
export interface IngestCounters {
  connections: number;
  handshakeErrors: number;
  protocolErrors: number;
  publishRefused: number;
  bytesIn: number;
  bytesOut: number;
}

/** A decision on a publish or play request; the hook for access control. */
export interface AccessRequest {
  readonly action: 'publish' | 'play';
  readonly app: string;
  readonly stream: string;
  /** Query string of the stream name (e.g. `key=...`), and of connect's app/tcUrl. */
  readonly query: string;
  readonly connectQuery: string;
  readonly clientId: string;
  readonly remoteAddress: string;
  readonly protocol: 'rtmp' | 'rtmps';
}

/** Returns true to allow; false or a reason string to refuse. */
export type AccessCheck = (req: AccessRequest) => boolean | string | Promise<boolean | string>;

export interface SessionOptions {
  id: string;
  remoteAddress: string;
  protocol: 'rtmp' | 'rtmps';
  bus: StreamBus;
  transport: Transport;
  logger: Logger;
  limits: SessionLimits;
  counters: IngestCounters;
  /** Wall-clock-free monotonic ms (performance.now by default). */
  now?: () => number;
  /** Access control for publish and play; allows everything when absent. */
  authorize?: AccessCheck;
  /** Called once when the session has closed. */
  onClose?: (s: RtmpSession) => void;
  /** Called when this connection is refused or cut by a limit, with a metrics reason (`unauthorized`, `idle_timeout`, ...). */
  onRefused?: (reason: RefusalReason) => void;
  /** Shared RTMP-play fan-outs (one write per batch per player); without it each player subscribes on its own. */
  fanouts?: RtmpFanouts;
  /** Called once when a publish or play that `authorize` allowed (or that ran without it) ends: unpublish / stop callbacks. */
  onAccessEnd?: (req: AccessRequest) => void;
  /**
   * TCP_NODELAY for a connection once it plays (default true: each write goes out at once). False leaves
   * Nagle's algorithm on: fewer, fuller packets; a write's tail may wait up to the viewer's delayed ACK.
   */
  playerNoDelay?: boolean;
}

/** Why the session refused a request or cut the connection (the `reason` label of livegate_connections_refused_total). */
export type RefusalReason = 'handshake_timeout' | 'idle_timeout' | 'unauthorized' | 'max_publishers' | 'stream_taken' | 'viewer_limit';

type Phase = 'handshake' | 'connecting' | 'connected' | 'closed';

/** A playing connection: how it is attached to the stream (its own subscription, or a shared fan-out). */
interface Player {
  /** Detach from the stream (`unsubscribed`); undefined while paused or after the stream ended. */
  sub: Pick<Subscription, 'close'> | undefined;
  /** The shared fan-out it is attached through, if it is. */
  fanout: Fanout | undefined;
  sink: PlayerSink;
  app: string;
  name: string;
  streamId: number;
}

const NS_STREAM_ID_LIMIT = 64; // createStream ids one connection may allocate

/**
 * One RTMP connection: handshake, chunk stream, commands, and the publisher or player role.
 * It never touches a socket: bytes come in through `receive`, go out through the Transport.
 */
export class RtmpSession {
  readonly id: string;
  readonly remoteAddress: string;
  readonly protocol: 'rtmp' | 'rtmps';
  readonly log: Logger;
  /** `app` from connect (without query). */
  app = '';
  /** Bytes received / sent on this connection. */
  bytesIn = 0;
  readonly openedAt: number;

  private phase: Phase = 'handshake';
  private readonly handshake = new ServerHandshake();
  private readonly reader: ChunkReader;
  private readonly out: Outgoing;
  private connectQuery = '';
  private objectEncoding = 0;
  private peerAckWindow = 0;
  private lastAckAt = 0;
  private lastActivity: number;
  private nextStreamId = 1;
  private publisher: PublisherIngest | undefined;
  private player: Player | undefined;
  private closeReason = '';
  /** The publish or play request now being served (for onAccessEnd). */
  private granted: AccessRequest | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: SessionOptions) {
    this.id = opts.id;
    this.remoteAddress = opts.remoteAddress;
    this.protocol = opts.protocol;
    this.log = opts.logger;
    this.now = opts.now ?? (() => performance.now());
    this.openedAt = this.now();
    this.lastActivity = this.openedAt;
    this.reader = new ChunkReader({
      maxMessageSize: opts.limits.maxMessageSize,
      maxChunkStreams: opts.limits.maxChunkStreams,
      onMessage: (m) => this.onMessage(m),
    });
    this.out = new Outgoing(opts.transport, opts.counters);
    this.log.info({ remote: opts.remoteAddress, protocol: opts.protocol }, 'opened');
  }

  /** What this connection does now (for the admin API). */
  get role(): 'publisher' | 'player' | 'idle' {
    return this.publisher ? 'publisher' : this.player ? 'player' : 'idle';
  }

  /** The stream this connection publishes or plays, as `app/stream`. */
  get streamKey(): string | undefined {
    return this.publisher?.stream.key ?? (this.player ? `${this.player.app}/${this.player.name}` : undefined);
  }

  get closed(): boolean {
    return this.phase === 'closed';
  }

  /** Feed bytes from the peer. Protocol errors close the connection (logged once). */
  receive(data: Buffer): void {
    if (this.phase === 'closed') return;
    this.bytesIn += data.length;
    this.opts.counters.bytesIn += data.length;
    this.lastActivity = this.now();
    try {
      if (this.phase === 'handshake') {
        const r = this.handshake.push(data);
        for (const b of r.out) this.out.raw(b);
        if (!r.done) return;
        this.phase = 'connecting';
        if (!r.rest || r.rest.length === 0) return;
        data = r.rest;
      }
      this.reader.push(data);
      this.maybeAck();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Periodic check (the server calls it about once a second): handshake and idle timeouts. */
  tick(now = this.now()): void {
    if (this.phase === 'closed') return;
    const { handshakeTimeoutMs, idleTimeoutMs } = this.opts.limits;
    if (this.phase === 'handshake' && handshakeTimeoutMs > 0 && now - this.openedAt > handshakeTimeoutMs) {
      this.opts.counters.handshakeErrors++;
      this.opts.onRefused?.('handshake_timeout');
      this.close(`handshake timeout (${handshakeTimeoutMs} ms)`);
      return;
    }
    if (idleTimeoutMs <= 0) return;
    if (this.publisher) {
      if (now - this.publisher.lastMediaAt > idleTimeoutMs) {
        this.opts.onRefused?.('idle_timeout');
        this.close(`idle: no media for ${idleTimeoutMs} ms`);
      }
    } else if (!this.player?.sub && now - this.lastActivity > idleTimeoutMs) {
      this.opts.onRefused?.('idle_timeout');
      this.close(`idle: nothing for ${idleTimeoutMs} ms`);
    }
  }

  /** The transport closed under us (peer hung up or socket error). */
  transportClosed(why = 'peer closed'): void {
    this.teardown(why);
  }

  /** End this connection: unpublish / unsubscribe, flush, close. Idempotent. */
  close(reason: string): void {
    if (this.phase === 'closed') return;
    this.teardown(reason);
    this.opts.transport.end();
  }

  private teardown(reason: string): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.closeReason = reason;
    this.stopPublishing('ended');
    this.stopPlaying();
    this.log.info({ reason, bytesIn: this.bytesIn, bytesOut: this.out.bytesOut }, 'closed');
    this.opts.onClose?.(this);
  }

  private fail(e: unknown): void {
    if (this.phase === 'closed') return;
    if (isIngestError(e)) {
      if (e.code.startsWith('ERR_HANDSHAKE')) this.opts.counters.handshakeErrors++;
      else this.opts.counters.protocolErrors++;
      this.log.warn({ err: { code: e.code, message: e.message }, remote: this.remoteAddress }, 'protocol error');
      this.teardown(`${e.code}: ${e.message}`);
      this.opts.transport.destroy();
      return;
    }
    this.log.error({ err: e, remote: this.remoteAddress }, 'internal error');
    this.teardown('internal error');
    this.opts.transport.destroy();
  }

  /** RTMP 1.0 section 5.4.3: acknowledge once a window's worth of bytes has arrived. */
  private maybeAck(): void {
    if (this.peerAckWindow <= 0) return;
    const received = this.reader.bytesReceived;
    if (received - this.lastAckAt >= this.peerAckWindow) {
      this.lastAckAt = received;
      this.out.acknowledgement(received);
    }
  }

  private onMessage(m: RtmpMessage): void {
    if (this.phase === 'closed') return;
    switch (m.typeId) {
      case MessageType.SetChunkSize:
      case MessageType.Abort:
      case MessageType.Acknowledgement:
      case MessageType.SetPeerBandwidth:
        return; // the reader applied chunk size and abort; nothing else to do
      case MessageType.WindowAckSize:
        if (m.payload.length >= 4) this.peerAckWindow = m.payload.readUInt32BE(0);
        return;
      case MessageType.UserControl:
        this.onUserControl(m.payload);
        return;
      case MessageType.Audio:
      case MessageType.Video:
      case MessageType.Aggregate:
        this.publisher?.media(m);
        return;
      case MessageType.DataAmf0:
      case MessageType.DataAmf3:
        this.publisher?.data(m);
        return;
      case MessageType.CommandAmf0:
      case MessageType.CommandAmf3:
        this.onCommand(m);
        return;
      default:
        return; // shared objects and unknown types are ignored, as Flash Media Server does
    }
  }

  private onUserControl(payload: Buffer): void {
    const uc = parseUserControl(payload);
    if (uc.event === UserControlEvent.PingRequest) this.out.userControl(UserControlEvent.PingResponse, uc.value);
  }

  private onCommand(m: RtmpMessage): void {
    const values = m.typeId === MessageType.CommandAmf3 ? decodeCommandAmf3(m.payload) : decodeAmf0All(m.payload);
    const name = values[0];
    if (typeof name !== 'string') throw new IngestError('ERR_RTMP_BAD_COMMAND', `command name is ${typeof name}, not a string`);
    const txid = typeof values[1] === 'number' ? values[1] : 0;
    const cmdObj = values[2];
    const args = values.slice(3);
    this.log.debug({ cmd: name, txid, streamId: m.streamId }, 'command');
    if (this.phase === 'connecting' && name !== 'connect') {
      throw new IngestError('ERR_RTMP_PROTOCOL', `command ${name} before connect`);
    }
    switch (name) {
      case 'connect':
        return this.onConnect(txid, cmdObj);
      case 'releaseStream':
      case 'FCPublish':
      case 'FCUnpublish':
      case 'getStreamLength':
        return this.onStreamHousekeeping(name, txid, args);
      case 'createStream':
        return this.onCreateStream(txid);
      case 'publish':
        // async (access checks may call out); a failure closes this connection like any other
        this.onPublish(txid, m.streamId, args).catch((e: unknown) => this.fail(e));
        return;
      case 'play':
        this.onPlay(txid, m.streamId, args).catch((e: unknown) => this.fail(e));
        return;
      case 'deleteStream':
      case 'closeStream':
        this.stopPublishing('ended');
        this.stopPlaying();
        return;
      case 'receiveAudio':
      case 'receiveVideo':
        if (this.player) this.onReceive(this.player, name, args[0] !== false);
        return;
      case 'pause':
        return this.onPause(args[0] === true);
      case '_result':
      case '_error':
      case 'onStatus':
      case '_checkbw':
      case 'onBWDone':
        if (name === '_checkbw' && txid) this.out.command(0, '_error', txid, null, statusInfo('connectRejected', { description: '_checkbw is not supported' }));
        return;
      default:
        if (txid) this.out.command(m.streamId, '_error', txid, null, { level: 'error', code: 'NetConnection.Call.Failed', description: `Method not found (${name.slice(0, 64)}).` });
    }
  }

  private onConnect(txid: number, cmdObj: unknown): void {
    if (this.phase !== 'connecting') throw new IngestError('ERR_RTMP_PROTOCOL', 'connect sent twice');
    const o = (typeof cmdObj === 'object' && cmdObj !== null ? cmdObj : {}) as Record<string, unknown>;
    const rawApp = typeof o.app === 'string' ? o.app : '';
    const { name, query } = parseApp(rawApp);
    const tcUrl = typeof o.tcUrl === 'string' ? o.tcUrl : typeof o.tcurl === 'string' ? o.tcurl : '';
    this.app = name;
    this.connectQuery = query || splitQuery(tcUrl).query;
    this.objectEncoding = typeof o.objectEncoding === 'number' ? o.objectEncoding : 0;
    this.log.info({ app: this.app, tcUrl: tcUrl.split('?')[0], flashVer: o.flashVer }, 'connect');
    const { ackWindow, chunkSize } = this.opts.limits;
    this.out.windowAckSize(ackWindow);
    this.out.setPeerBandwidth(ackWindow);
    this.out.setChunkSize(chunkSize);
    if (!isValidName(this.app)) {
      this.out.command(0, '_error', txid, null, statusInfo('connectRejected', { description: 'Invalid application name.' }));
      this.close(`bad app name`);
      return;
    }
    this.phase = 'connected';
    const props: Record<string, unknown> = { fmsVer: 'FMS/3,5,7,7009', capabilities: 31, mode: 1 };
    // Enhanced RTMP: answer a client that announces FourCCs with the ones livegate relays.
    if (Array.isArray(o.fourCcList)) props.fourCcList = ['av01', 'vp09', 'hvc1', 'avc1', 'Opus', 'ac-3', 'ec-3', 'mp4a', 'fLaC', '.mp3'];
    this.out.command(0, '_result', txid, props, statusInfo('connectSuccess', { objectEncoding: this.objectEncoding, data: { version: '3,5,7,7009' } }));
  }

  private onStreamHousekeeping(name: string, txid: number, args: unknown[]): void {
    if (name === 'FCPublish') {
      const stream = typeof args[0] === 'string' ? args[0] : '';
      this.out.command(0, 'onFCPublish', 0, null, { code: 'NetStream.Publish.Start', description: stream });
    } else if (name === 'FCUnpublish') {
      this.out.command(0, 'onFCUnpublish', 0, null, { code: 'NetStream.Unpublish.Success', description: String(args[0] ?? '') });
      this.stopPublishing('ended');
    }
    if (txid) this.out.command(0, '_result', txid, null, name === 'getStreamLength' ? 0 : undefined);
  }

  private onCreateStream(txid: number): void {
    if (this.nextStreamId > NS_STREAM_ID_LIMIT) throw new IngestError('ERR_RTMP_PROTOCOL', `createStream called more than ${NS_STREAM_ID_LIMIT} times`);
    this.out.command(0, '_result', txid, null, this.nextStreamId++);
  }

  private async onPublish(txid: number, streamId: number, args: unknown[]): Promise<void> {
    const full = typeof args[0] === 'string' ? args[0] : '';
    const { name, query } = splitQuery(full);
    const refuse = (status: 'publishBadName' | 'publishUnauthorized', why: string, reason?: RefusalReason) => {
      this.opts.counters.publishRefused++;
      if (reason) this.opts.onRefused?.(reason);
      this.out.command(streamId, 'onStatus', 0, null, statusInfo(status, { description: why }));
      this.log.warn({ app: this.app, stream: name, why }, 'publish refused');
      this.close(`publish refused: ${why}`);
    };
    if (this.publisher || this.player) return refuse('publishBadName', 'connection already publishing or playing');
    if (!isValidName(name)) return refuse('publishBadName', 'invalid stream name');
    const req = this.accessRequest('publish', name, query);
    if (this.opts.authorize) {
      const verdict = await this.opts.authorize(req);
      if (this.phase === 'closed') return;
      if (verdict !== true) return refuse('publishUnauthorized', typeof verdict === 'string' ? verdict : 'not authorized', 'unauthorized');
      if (this.publisher || this.player) return refuse('publishBadName', 'connection already publishing or playing');
    }
    let stream: LiveStream;
    try {
      stream = this.opts.bus.publish(this.app, name, { id: this.id, protocol: this.protocol, remoteAddress: this.remoteAddress }, (reason) =>
        this.onKicked(reason),
      );
    } catch (e) {
      if (isIngestError(e) && e.code === 'ERR_STREAM_TAKEN') return refuse('publishBadName', e.message, 'stream_taken');
      if (isIngestError(e) && e.code === 'ERR_STREAM_LIMIT') return refuse('publishBadName', e.message, 'max_publishers');
      throw e;
    }
    this.publisher = new PublisherIngest(stream, this.now, this.log);
    this.granted = req;
    this.out.userControl(UserControlEvent.StreamBegin, streamId);
    this.out.command(streamId, 'onStatus', 0, null, statusInfo('publishStart', { description: `${this.app}/${name} is now published.` }));
    this.log.info({ app: this.app, stream: name }, 'publish');
    void txid;
  }

  private async onPlay(txid: number, streamId: number, args: unknown[]): Promise<void> {
    const full = typeof args[0] === 'string' ? args[0] : '';
    const { name, query } = splitQuery(full);
    const refuse = (status: 'playStreamNotFound' | 'playFailed', why: string, reason?: RefusalReason) => {
      if (reason) this.opts.onRefused?.(reason);
      this.out.command(streamId, 'onStatus', 0, null, statusInfo(status, { description: why }));
      this.log.info({ app: this.app, stream: name, why }, 'play refused');
      this.close(`play refused: ${why}`);
    };
    if (this.publisher || this.player) return refuse('playFailed', 'connection already publishing or playing');
    if (!isValidName(name)) return refuse('playStreamNotFound', 'invalid stream name');
    const req = this.accessRequest('play', name, query);
    if (this.opts.authorize) {
      const verdict = await this.opts.authorize(req);
      if (this.phase === 'closed') return;
      if (verdict !== true) return refuse('playFailed', typeof verdict === 'string' ? verdict : 'not authorized', 'unauthorized');
      if (this.publisher || this.player) return refuse('playFailed', 'connection already publishing or playing');
    }
    const live = this.opts.bus.get(this.app, name);
    if (!live) return refuse('playStreamNotFound', `${this.app}/${name} is not live`);
    // Refuse before Play.Start: a client that saw Play.Start believes it is playing.
    if (live.viewerCount >= this.opts.bus.limits.maxSubscribersPerStream) return refuse('playFailed', 'too many viewers', 'viewer_limit');
    if (this.opts.playerNoDelay === false) this.opts.transport.setNoDelay?.(false);
    const sink = new PlayerSink(this.opts.transport, this.out, streamId, this.opts.limits.chunkSize, (reason) => this.onPlayEnded(reason));
    const player: Player = { sub: undefined, fanout: undefined, sink, app: this.app, name, streamId };
    this.player = player;
    // RTMP-NOTES play order: StreamBegin, Play.Reset, Play.Start, |RtmpSampleAccess, then metadata, headers, GOP.
    this.out.userControl(UserControlEvent.StreamBegin, streamId);
    this.out.command(streamId, 'onStatus', 0, null, statusInfo('playReset', { description: `Playing and resetting ${this.app}/${name}.` }));
    this.out.command(streamId, 'onStatus', 0, null, statusInfo('playStart', { description: `Started playing ${this.app}/${name}.` }));
    this.out.data(streamId, encodeAmf0('|RtmpSampleAccess', true, true));
    if (!this.attach(player, live, true)) return refuse('playFailed', 'too many viewers', 'viewer_limit');
    this.granted = req;
    this.log.info({ app: this.app, stream: name }, 'play');
    void txid;
  }

  /**
   * Attach a player to `live`: through the shared fan-out when there is one and the player takes
   * both audio and video, else with its own subscription (which can filter per player).
   * `prime: false` moves a player that already has the headers and all messages so far onto its
   * own subscription, continuing with the next message.
   */
  private attach(p: Player, live: LiveStream, prime: boolean): boolean {
    const fanouts = this.opts.fanouts;
    if (fanouts && prime && p.sink.receiveAudio && p.sink.receiveVideo) {
      if (!live.reserveViewer()) return false;
      const fanout = fanouts.of(live, p.streamId, this.opts.limits.chunkSize);
      const handle = fanout.add({ write: (b) => this.out.raw(b), backlog: () => this.opts.transport.backlog(), closed: (r) => this.onPlayEnded(r) });
      if (!handle) {
        live.releaseViewer();
        return false;
      }
      p.fanout = fanout;
      p.sub = {
        close: () => {
          fanout.remove(handle);
          live.releaseViewer();
        },
      };
      return true;
    }
    p.fanout = undefined;
    p.sub = live.subscribe(p.sink, { prime });
    return p.sub !== undefined;
  }

  /** receiveAudio / receiveVideo: a filtering player leaves the shared fan-out for its own subscription. */
  private onReceive(p: Player, what: 'receiveAudio' | 'receiveVideo', on: boolean): void {
    p.sink[what] = on;
    if (on || !p.fanout || !p.sub) return;
    const live = this.opts.bus.get(p.app, p.name);
    p.fanout.flushNow(); // what the fan-out gathered so far still reaches this player; its own subscription goes on from the next message
    p.sub.close('unsubscribed');
    p.sub = undefined;
    if (!live || !this.attach(p, live, false)) this.onPlayEnded('ended');
  }

  private onPause(paused: boolean): void {
    const p = this.player;
    if (!p) return;
    if (paused && p.sub) {
      p.sub.close('unsubscribed');
      p.sub = undefined;
      this.out.command(p.streamId, 'onStatus', 0, null, statusInfo('pauseNotify'));
    } else if (!paused && !p.sub) {
      const live = this.opts.bus.get(p.app, p.name);
      this.out.command(p.streamId, 'onStatus', 0, null, statusInfo('unpauseNotify'));
      if (!live || !this.attach(p, live, true)) this.onPlayEnded('ended');
    }
  }

  /** The bus ended this publisher (replaced by another, kicked by an admin, shutdown). */
  private onKicked(reason: CloseReason): void {
    this.publisher = undefined; // the bus already unpublished it
    this.accessEnded();
    this.close(`publisher ${reason}`);
  }

  /** The played stream ended or this player was too slow. */
  private onPlayEnded(reason: CloseReason): void {
    const p = this.player;
    if (!p) return;
    const attached = p.sub;
    p.sub = undefined;
    if (p.fanout) attached?.close('unsubscribed'); // gives the viewer slot back; the fan-out already let go
    if (reason === 'unsubscribed') return;
    this.out.userControl(UserControlEvent.StreamEOF, p.streamId);
    this.out.command(p.streamId, 'onStatus', 0, null, statusInfo('playUnpublishNotify', { description: `${p.app}/${p.name} ${reason}` }));
    this.out.command(p.streamId, 'onStatus', 0, null, statusInfo('playStop'));
    this.player = undefined;
    this.accessEnded();
    if (reason === 'slow') this.close('viewer too slow');
    else this.lastActivity = this.now(); // the player may leave, or idle out
  }

  private stopPublishing(reason: CloseReason): void {
    const p = this.publisher;
    if (!p) return;
    this.publisher = undefined;
    this.opts.bus.unpublish(p.stream, reason);
    this.log.info({ stream: p.stream.key, bytesIn: p.stream.stats.bytesIn }, 'unpublish');
    this.accessEnded();
  }

  /** The granted publish or play is over: tell onAccessEnd once. */
  private accessEnded(): void {
    const g = this.granted;
    if (!g) return;
    this.granted = undefined;
    this.opts.onAccessEnd?.(g);
  }

  private stopPlaying(): void {
    const p = this.player;
    if (!p) return;
    this.player = undefined;
    p.sub?.close('unsubscribed');
    this.accessEnded();
  }

  private accessRequest(action: 'publish' | 'play', stream: string, query: string): AccessRequest {
    return {
      action,
      app: this.app,
      stream,
      query,
      connectQuery: this.connectQuery,
      clientId: this.id,
      remoteAddress: this.remoteAddress,
      protocol: this.protocol,
    };
  }

  /** Bytes sent on this connection. */
  get bytesOut(): number {
    return this.out.bytesOut;
  }

  /** Why the session closed (empty while open). */
  get reason(): string {
    return this.closeReason;
  }
}

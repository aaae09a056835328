import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  ChunkReader,
  ClientHandshake,
  MessageType,
  RtmpSession,
  StreamBus,
  UserControlEvent,
  buildAacTag,
  buildLegacyAvcTag,
  decodeAmf0All,
  encodeAmf0,
  encodeChunks,
  encodeCommandAmf3,
  ecmaArray,
  parseUserControl,
  userControlMessage,
  windowAckSizeMessage,
  type IngestCounters,
  type RtmpMessage,
  type Transport,
} from '../src/index.js';

const limits = { maxMessageSize: 1 << 20, maxChunkStreams: 16, chunkSize: 4096, ackWindow: 2_500_000, handshakeTimeoutMs: 10_000, idleTimeoutMs: 60_000 };

/** Drives one RtmpSession over an in-memory transport, as a client would. */
class Harness {
  readonly bus: StreamBus;
  readonly session: RtmpSession;
  readonly received: RtmpMessage[] = [];
  readonly counters: IngestCounters = { connections: 0, handshakeErrors: 0, protocolErrors: 0, publishRefused: 0, bytesIn: 0, bytesOut: 0 };
  ended = false;
  destroyed = false;
  /** Every setNoDelay the session asked of its transport. */
  readonly noDelay: boolean[] = [];
  clock = 0;
  private readonly hs = new ClientHandshake({ digest: false });
  private readonly reader = new ChunkReader({ onMessage: (m) => this.received.push(m) });
  private handshaking = true;

  constructor(bus = new StreamBus(), sessionLimits = limits, opts: { playerNoDelay?: boolean } = {}) {
    this.bus = bus;
    const transport: Transport = {
      write: (d) => this.fromServer(d),
      backlog: () => 0,
      end: () => (this.ended = true),
      destroy: () => (this.destroyed = true),
      setNoDelay: (on) => this.noDelay.push(on),
    };
    this.session = new RtmpSession({
      id: 'test-1', remoteAddress: '127.0.0.1:1', protocol: 'rtmp', bus, transport,
      logger: pino({ level: 'silent' }), limits: sessionLimits, counters: this.counters, now: () => this.clock, ...opts,
    });
  }

  private fromServer(d: Buffer): void {
    if (this.handshaking) {
      const r = this.hs.push(d);
      for (const b of r.out) this.session.receive(b);
      if (r.done) this.handshaking = false;
      if (r.rest?.length) this.reader.push(r.rest);
      return;
    }
    this.reader.push(d);
  }

  handshake(): void {
    this.session.receive(this.hs.start());
    expect(this.handshaking).toBe(false);
  }

  send(m: Omit<RtmpMessage, 'csid'> & { csid?: number }): void {
    this.session.receive(encodeChunks({ csid: 3, ...m }, 128));
  }

  command(name: string, txid: number, ...args: unknown[]): void {
    this.send({ typeId: MessageType.CommandAmf0, streamId: 0, timestamp: 0, payload: encodeAmf0(name, txid, ...(args as never[])) });
  }

  /** Decoded AMF0 commands the server sent, in order. */
  commands(): unknown[][] {
    return this.received.filter((m) => m.typeId === MessageType.CommandAmf0).map((m) => decodeAmf0All(m.payload));
  }

  statusCodes(): string[] {
    return this.commands()
      .filter((c) => c[0] === 'onStatus')
      .map((c) => (c[3] as { code: string }).code);
  }
}

const avcConfig = buildLegacyAvcTag({ frameType: 1, packetType: 0, payload: Buffer.from([1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 0]) });
const keyframe = (cts = 0) => buildLegacyAvcTag({ frameType: 1, packetType: 1, cts, payload: Buffer.from([0, 0, 0, 2, 0x65, 0x88]) });

describe('RtmpSession', () => {
  it('answers connect with window size, peer bandwidth, chunk size and _result with the objectEncoding echoed', () => {
    const h = new Harness();
    h.handshake();
    h.command('connect', 1, { app: 'live/', tcurl: 'rtmp://x/live', objectEncoding: 3 });
    expect(h.received.slice(0, 3).map((m) => m.typeId)).toEqual([MessageType.WindowAckSize, MessageType.SetPeerBandwidth, MessageType.SetChunkSize]);
    const [name, txid, props, info] = h.commands()[0]!;
    expect([name, txid]).toEqual(['_result', 1]);
    expect(props).toMatchObject({ fmsVer: 'FMS/3,5,7,7009', capabilities: 31 });
    expect(info).toMatchObject({ code: 'NetConnection.Connect.Success', objectEncoding: 3 });
    expect(h.session.app).toBe('live');
  });

  it('accepts the Flash command order (createStream then publish), an odd transaction id and AMF3 command messages', () => {
    const h = new Harness();
    h.handshake();
    h.send({ typeId: MessageType.CommandAmf3, streamId: 0, timestamp: 0, payload: encodeCommandAmf3('connect', 7, { app: 'live' }) });
    h.command('createStream', 8, null);
    h.command('mystery', 9, null);
    h.send({ typeId: MessageType.CommandAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('publish', 0, null, 'cam?token=abc', 'live') });
    const cmds = h.commands();
    expect(cmds[0]!.slice(0, 2)).toEqual(['_result', 7]);
    expect(cmds[1]).toEqual(['_result', 8, null, 1]);
    expect(cmds[2]!.slice(0, 2)).toEqual(['_error', 9]);
    expect(h.statusCodes()).toEqual(['NetStream.Publish.Start']);
    expect(h.bus.get('live', 'cam')).toBeDefined();
    const begin = h.received.find((m) => m.typeId === MessageType.UserControl)!;
    expect(parseUserControl(begin.payload)).toMatchObject({ event: UserControlEvent.StreamBegin, value: 1 });
  });

  it('publishes media and @setDataFrame metadata onto the bus, stripping the wrapper', () => {
    const h = new Harness();
    h.handshake();
    h.command('connect', 1, { app: 'live' });
    h.command('releaseStream', 2, null, 'a');
    h.command('FCPublish', 3, null, 'a');
    h.command('createStream', 4, null);
    h.send({ typeId: MessageType.CommandAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('publish', 5, null, 'a', 'live') });
    const s = h.bus.get('live', 'a')!;
    const seen: string[] = [];
    s.subscribe({ backlog: () => 0, write: (m) => seen.push(m.kind === 'data' ? `data:${m.name}` : `${m.kind}:${m.packet}@${m.dts}/${m.pts}`), close: () => seen.push('end') });
    h.send({ typeId: MessageType.DataAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('@setDataFrame', 'onMetaData', ecmaArray({ width: 320 })) });
    h.send({ typeId: MessageType.Video, streamId: 1, timestamp: 0, payload: avcConfig, csid: 6 });
    h.send({ typeId: MessageType.Audio, streamId: 1, timestamp: 0, payload: buildAacTag({ packetType: 0, payload: Buffer.from([0x12, 0x10]) }), csid: 4 });
    h.send({ typeId: MessageType.Video, streamId: 1, timestamp: 40, payload: keyframe(-40), csid: 6 });
    expect(seen).toEqual(['data:onMetaData', 'video:config@0/0', 'audio:config@0/0', 'video:frame@40/0']);
    expect(s.metadata!.body.equals(encodeAmf0('onMetaData', ecmaArray({ width: 320 })))).toBe(true);
    h.command('FCUnpublish', 6, null, 'a');
    expect(seen.at(-1)).toBe('end');
    expect(h.bus.get('live', 'a')).toBeUndefined();
  });

  it('splits aggregate messages into their tags with timestamps relative to the message', () => {
    const h = new Harness();
    h.handshake();
    h.command('connect', 1, { app: 'live' });
    h.command('createStream', 2, null);
    h.send({ typeId: MessageType.CommandAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('publish', 3, null, 'agg') });
    const dts: number[] = [];
    h.bus.get('live', 'agg')!.subscribe({ backlog: () => 0, write: (m) => dts.push(m.dts), close: () => {} });
    const sub = (type: number, ts: number, body: Buffer) => {
      const hdr = Buffer.alloc(11);
      hdr[0] = type;
      hdr.writeUIntBE(body.length, 1, 3);
      hdr.writeUIntBE(ts & 0xffffff, 4, 3);
      const back = Buffer.alloc(4);
      back.writeUInt32BE(11 + body.length);
      return Buffer.concat([hdr, body, back]);
    };
    const payload = Buffer.concat([sub(9, 5000, keyframe()), sub(8, 5020, buildAacTag({ packetType: 1, payload: Buffer.from([1, 2]) }))]);
    h.send({ typeId: MessageType.Aggregate, streamId: 1, timestamp: 100, payload });
    expect(dts).toEqual([100, 120]);
  });

  it('refuses a second publisher with NetStream.Publish.BadName and keeps the first', () => {
    const bus = new StreamBus();
    const publishOn = (h: Harness) => {
      h.handshake();
      h.command('connect', 1, { app: 'live' });
      h.command('createStream', 2, null);
      h.send({ typeId: MessageType.CommandAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('publish', 3, null, 'k') });
    };
    const a = new Harness(bus);
    publishOn(a);
    const b = new Harness(bus);
    publishOn(b);
    expect(b.statusCodes()).toEqual(['NetStream.Publish.BadName']);
    expect(b.ended).toBe(true);
    expect(b.counters.publishRefused).toBe(1);
    expect(bus.get('live', 'k')!.publisher.id).toBe(a.session.id);
  });

  it('plays with StreamBegin, Play.Reset, Play.Start, |RtmpSampleAccess, then headers and the GOP', () => {
    const bus = new StreamBus();
    const pub = new Harness(bus);
    pub.handshake();
    pub.command('connect', 1, { app: 'live' });
    pub.command('createStream', 2, null);
    pub.send({ typeId: MessageType.CommandAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('publish', 3, null, 'p') });
    pub.send({ typeId: MessageType.Video, streamId: 1, timestamp: 0, payload: avcConfig, csid: 6 });
    pub.send({ typeId: MessageType.Video, streamId: 1, timestamp: 1000, payload: keyframe(), csid: 6 });
    const player = new Harness(bus);
    player.handshake();
    player.command('connect', 1, { app: 'live' });
    player.command('createStream', 2, null);
    player.send({ typeId: MessageType.CommandAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('play', 0, null, 'p', -2000) });
    const after = player.received.slice(player.received.findIndex((m) => m.typeId === MessageType.UserControl));
    const label = (m: RtmpMessage) =>
      m.typeId === MessageType.UserControl ? `uc${parseUserControl(m.payload).event}` : m.typeId === MessageType.CommandAmf0 ? String((decodeAmf0All(m.payload)[3] as { code: string }).code) : m.typeId === MessageType.DataAmf0 ? String(decodeAmf0All(m.payload)[0]) : `t${m.typeId}@${m.timestamp}`;
    expect(after.map(label)).toEqual(['uc0', 'NetStream.Play.Reset', 'NetStream.Play.Start', '|RtmpSampleAccess', 't9@0', 't9@1000']);
    expect(after.slice(-2).every((m) => m.streamId === 1)).toBe(true);
    // the publisher leaves: the player gets StreamEOF and UnpublishNotify
    pub.session.transportClosed();
    expect(player.statusCodes().slice(-2)).toEqual(['NetStream.Play.UnpublishNotify', 'NetStream.Play.Stop']);
    expect(player.received.filter((m) => m.typeId === MessageType.UserControl).map((m) => parseUserControl(m.payload).event).at(-1)).toBe(UserControlEvent.StreamEOF);
  });

  it('turns Nagle on for a playing connection only when playerNoDelay is false (publishers and refused plays keep TCP_NODELAY)', () => {
    const bus = new StreamBus();
    const pub = new Harness(bus, limits, { playerNoDelay: false });
    pub.handshake();
    pub.command('connect', 1, { app: 'live' });
    pub.command('createStream', 2, null);
    pub.send({ typeId: MessageType.CommandAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('publish', 3, null, 'p') });
    pub.send({ typeId: MessageType.Video, streamId: 1, timestamp: 0, payload: avcConfig, csid: 6 });
    const play = (h: Harness, name: string) => {
      h.handshake();
      h.command('connect', 1, { app: 'live' });
      h.command('createStream', 2, null);
      h.send({ typeId: MessageType.CommandAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('play', 0, null, name, -2000) });
      return h;
    };
    const nagle = play(new Harness(bus, limits, { playerNoDelay: false }), 'p');
    const missing = play(new Harness(bus, limits, { playerNoDelay: false }), 'nobody');
    const byDefault = play(new Harness(bus), 'p');
    expect(nagle.statusCodes()).toContain('NetStream.Play.Start');
    expect(nagle.noDelay).toEqual([false]);
    expect(missing.statusCodes()).toContain('NetStream.Play.StreamNotFound');
    expect(missing.noDelay).toEqual([]);
    expect(byDefault.statusCodes()).toContain('NetStream.Play.Start');
    expect(byDefault.noDelay).toEqual([]);
    expect(pub.noDelay).toEqual([]);
  });

  it('sends an Acknowledgement once a window of bytes has arrived, and answers pings', () => {
    const h = new Harness();
    h.handshake();
    h.command('connect', 1, { app: 'live' });
    h.send(windowAckSizeMessage(1000));
    h.send({ ...userControlMessage(UserControlEvent.PingRequest, 1234), csid: 2 });
    const pong = h.received.filter((m) => m.typeId === MessageType.UserControl).map((m) => parseUserControl(m.payload));
    expect(pong).toContainEqual(expect.objectContaining({ event: UserControlEvent.PingResponse, value: 1234 }));
    for (let i = 0; i < 10; i++) h.command('noop', 0, null, 'x'.repeat(100));
    const acks = h.received.filter((m) => m.typeId === MessageType.Acknowledgement);
    expect(acks.length).toBeGreaterThanOrEqual(1);
  });

  it('closes on handshake timeout, on idle publishers, and on protocol errors (typed, counted)', () => {
    const h = new Harness();
    h.clock = 10_001;
    h.session.tick();
    expect(h.ended).toBe(true);
    expect(h.counters.handshakeErrors).toBe(1);
    expect(h.session.reason).toMatch(/handshake timeout/);

    const idle = new Harness(new StreamBus(), { ...limits, idleTimeoutMs: 5000 });
    idle.handshake();
    idle.command('connect', 1, { app: 'live' });
    idle.command('createStream', 2, null);
    idle.send({ typeId: MessageType.CommandAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('publish', 3, null, 'quiet') });
    idle.clock = 4000;
    idle.session.tick();
    expect(idle.ended).toBe(false);
    idle.clock = 5001;
    idle.session.tick();
    expect(idle.ended).toBe(true);
    expect(idle.session.reason).toMatch(/idle/);
    expect(idle.bus.get('live', 'quiet')).toBeUndefined();

    const bad = new Harness();
    bad.handshake();
    bad.send({ typeId: MessageType.CommandAmf0, streamId: 0, timestamp: 0, payload: Buffer.from([0x03, 0x00]) }); // truncated AMF object
    expect(bad.destroyed).toBe(true);
    expect(bad.counters.protocolErrors).toBe(1);
    expect(bad.session.reason).toMatch(/^ERR_AMF_TRUNCATED/);
  });

  it('rejects a message over the size limit before allocating it', () => {
    const h = new Harness(new StreamBus(), { ...limits, maxMessageSize: 1000 });
    h.handshake();
    const header = Buffer.from([0x03, 0, 0, 0, 0x00, 0x27, 0x10, 0x14, 0, 0, 0, 0]); // fmt 0, length 10000, type 20
    h.session.receive(header);
    expect(h.destroyed).toBe(true);
    expect(h.session.reason).toMatch(/ERR_RTMP_MESSAGE_TOO_LARGE/);
  });
});

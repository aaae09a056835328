/**
 * Enhanced RTMP end to end: livegate's RtmpClient publishes real HEVC (`hvc1`) and AV1 (`av01`)
 * encoded by ffmpeg to a livegate RtmpServer on 127.0.0.1, while other RtmpClients play the same
 * key; the players must receive byte-identical tags with the published timestamps. ffmpeg 5.1
 * cannot publish Enhanced RTMP itself, hence our client. Plus the client's refusal, timeout and
 * close paths against the same server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithTools } from '../../../test/support/tools.js';
import {
  RtmpServer,
  StreamBus,
  VideoFrameType,
  VideoPacketType,
  buildEnhancedVideoTag,
  isIngestError,
  type DataMessage,
  type MediaMessage,
  type SessionLimits,
  type VideoMessage,
} from '../src/index.js';
import { until } from './support/until.js';
import { RtmpClient, RtmpStatusError } from '../src/client/index.js';
import { encodeAv1, encodeHevc, type EnhancedStream } from './support/ertmp-streams.js';
import { TEST_TLS_CERT, TEST_TLS_KEY } from './support/tls-fixture.js';

const APP = 'live';
const LIMITS: SessionLimits = {
  maxMessageSize: 10 * 1024 * 1024,
  maxChunkStreams: 64,
  chunkSize: 4096,
  ackWindow: 2_500_000,
  handshakeTimeoutMs: 5000,
  idleTimeoutMs: 10_000,
};

let bus: StreamBus;
let server: RtmpServer;
let url: string;
let tlsUrl: string;

beforeAll(async () => {
  bus = new StreamBus();
  server = new RtmpServer({ bus, logger: pino({ level: 'silent' }), maxConnections: 50, limits: LIMITS });
  const addr = await server.listen(0, '127.0.0.1');
  url = `rtmp://127.0.0.1:${addr.port}/${APP}`;
  const tlsAddr = await server.listenTls(0, '127.0.0.1', TEST_TLS_CERT, TEST_TLS_KEY);
  tlsUrl = `rtmps://127.0.0.1:${tlsAddr.port}/${APP}`;
});

afterAll(async () => {
  await server.close();
});

/** Sends frames [from, to) as fast as the socket takes them. */
async function sendFrames(pub: RtmpClient, s: EnhancedStream, from: number, to: number): Promise<void> {
  for (const f of s.frames.slice(from, to)) {
    if (!pub.sendVideo(f.body, f.timestamp)) await pub.drain();
  }
}

/** Index of the last keyframe before frame `n`: where a player joining after n frames starts (GOP cache). */
function gopStart(s: EnhancedStream, n: number): number {
  let k = -1;
  for (let i = 0; i < n; i++) if (s.frames[i]!.keyframe) k = i;
  if (k < 0) throw new Error(`no keyframe in the first ${n} frames`);
  return k;
}

/**
 * Publishes `s` under `key`; after `joinAfter` frames have reached the bus (publisher paused, so the
 * join point is exact) a player joins, then the rest is published and the publisher leaves.
 * `iterate` makes the player read through messages() instead of `message` events.
 */
async function relay(s: EnhancedStream, key: string, joinAfter: number, iterate: boolean) {
  const pub = await RtmpClient.connect(url);
  const player = await RtmpClient.connect(url);
  try {
    await pub.publish(key);
    pub.sendMetadata({ width: 320, height: 240, framerate: 25 });
    pub.sendVideo(s.config, 0);
    await sendFrames(pub, s, 0, joinAfter);
    const live = bus.get(APP, key)!;
    await until(() => live.stats.videoFrames === joinAfter, `${joinAfter} frames on the bus`);

    const received: MediaMessage[] = [];
    let collected: Promise<void>;
    if (iterate) {
      const it = player.messages();
      collected = (async () => {
        for await (const m of it) received.push(m);
      })();
    } else {
      player.on('message', (m) => received.push(m));
      collected = new Promise((resolve) => player.once('end', () => resolve()));
    }
    const endReason = new Promise<string>((resolve) => player.once('end', resolve));
    await player.play(key);

    await sendFrames(pub, s, joinAfter, s.frames.length);
    const expected = s.frames.length - gopStart(s, joinAfter);
    const frames = () => received.filter((m) => m.kind === 'video' && m.packet === 'frame').length;
    await until(() => frames() >= expected, `${expected} frames at the player`);
    await pub.close();
    const reason = await endReason;
    await collected;
    return { received, reason };
  } finally {
    await Promise.all([pub.close(), player.close()]);
  }
}

/** The player's view must equal what was published from the GOP start on, tag for tag. */
function expectRelayed(s: EnhancedStream, received: MediaMessage[], joinAfter: number): void {
  const video = received.filter((m): m is VideoMessage => m.kind === 'video');
  const config = video[0]!;
  expect(config).toMatchObject({ codec: s.codec, fourcc: s.fourcc, packet: 'config', keyframe: false });
  expect(config.payload.equals(s.record)).toBe(true);
  expect(config.body.equals(s.config)).toBe(true);

  const frames = video.slice(1);
  const expected = s.frames.slice(gopStart(s, joinAfter));
  expect(frames.every((m) => m.packet === 'frame')).toBe(true);
  expect(frames.length).toBe(expected.length);
  expect(frames[0]!.keyframe).toBe(true);
  frames.forEach((m, i) => {
    const e = expected[i]!;
    expect({ codec: m.codec, fourcc: m.fourcc, dts: m.dts, pts: m.pts, keyframe: m.keyframe }).toEqual({
      codec: s.codec,
      fourcc: s.fourcc,
      dts: e.timestamp,
      pts: e.timestamp,
      keyframe: e.keyframe,
    });
    expect(m.body.equals(e.body), `frame ${i} (dts ${m.dts}) body`).toBe(true);
  });

  // Metadata comes first, as a plain onMetaData (the server strips @setDataFrame).
  const meta = received[0] as DataMessage;
  expect(meta).toMatchObject({ kind: 'data', name: 'onMetaData' });
  expect(meta.args[0]).toMatchObject({ width: 320, height: 240, framerate: 25 });
}

describeWithTools(['ffmpeg'], 'Enhanced RTMP relay of ffmpeg-encoded HEVC and AV1 (livegate client → server → client)', () => {
  const streams: Record<'hevc' | 'av1', EnhancedStream> = {} as never;
  let dir = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'livegate-ertmp-'));
    streams.hevc = encodeHevc(dir);
    streams.av1 = encodeAv1(dir);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('encodes 50 frames per codec with keyframes at 0 and every 25 frames', () => {
    for (const s of Object.values(streams)) {
      expect(s.frames.length).toBe(50);
      expect(s.frames[0]!.keyframe).toBe(true);
      expect(s.frames.filter((f) => f.keyframe).length).toBeGreaterThanOrEqual(2);
    }
  });

  it("builds the same decoder configuration records as ffmpeg's MP4 muxer", () => {
    const box = (file: string, type: string): Buffer => {
      const mp4 = readFileSync(file);
      const at = mp4.indexOf(type, 0, 'latin1');
      expect(at, `${type} box in ${file}`).toBeGreaterThan(4);
      return mp4.subarray(at + 4, at - 4 + mp4.readUInt32BE(at - 4));
    };
    for (const [input, out] of [
      ['out.hevc', 'hevc.mp4'],
      ['out.obu', 'av1.mp4'],
    ] as const) {
      execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', join(dir, input), '-c', 'copy', join(dir, out)], { stdio: 'ignore', timeout: 30_000 });
    }
    // av1C: identical.
    expect(streams.av1.record.equals(box(join(dir, 'av1.mp4'), 'av1C'))).toBe(true);
    // hvcC: identical except byte 15 (parallelismType: ffmpeg derives it from the PPS, we write 0 "unknown")
    // and the array_completeness bit (ffmpeg 5.1 writes 0; hvc1 wants 1: parameter sets are only in the record).
    const ours = Buffer.from(streams.hevc.record);
    const theirs = Buffer.from(box(join(dir, 'hevc.mp4'), 'hvcC'));
    expect(ours.length).toBe(theirs.length);
    for (const b of [ours, theirs]) {
      b[15] = 0xfc;
      for (let at = 23, n = 0; n < b[22]!; n++) {
        b[at] = b[at]! & 0x3f;
        const count = b.readUInt16BE(at + 1);
        at += 3;
        for (let i = 0; i < count; i++) at += 2 + b.readUInt16BE(at);
      }
    }
    expect(ours.toString('hex')).toBe(theirs.toString('hex'));
  });

  for (const codec of ['hevc', 'av1'] as const) {
    it(`${codec}: a player joining after 8 frames gets the config, then every frame from the GOP start, byte-identical`, async () => {
      const s = streams[codec];
      const { received, reason } = await relay(s, `e2e-${codec}`, 8, false);
      expectRelayed(s, received, 8);
      expect(['StreamEOF', 'NetStream.Play.UnpublishNotify', 'NetStream.Play.Stop']).toContain(reason);
      expect(bus.get(APP, `e2e-${codec}`)).toBeUndefined();
    });

    it(`${codec}: a late joiner (after 35 frames) starts on the cached keyframe (frame 25), read through messages()`, async () => {
      const s = streams[codec];
      const { received } = await relay(s, `late-${codec}`, 35, true);
      expectRelayed(s, received, 35);
      const first = received.find((m): m is VideoMessage => m.kind === 'video' && m.packet === 'frame')!;
      expect(first.keyframe).toBe(true);
      expect(first.dts).toBe(s.frames[gopStart(s, 35)]!.timestamp);
      expect(first.dts).toBeGreaterThan(0);
    });
  }
});

describe('RtmpClient against livegate: refusals, timeouts, close', () => {
  /** A tiny but well-formed hvc1 CodedFramesX tag (the relay parses headers, not NAL units). */
  const tag = buildEnhancedVideoTag({ fourcc: 'hvc1', packetType: VideoPacketType.CodedFramesX, frameType: VideoFrameType.Key, payload: Buffer.from([0, 0, 0, 1, 0x26]) });

  it('announces Enhanced RTMP and gets the server FourCC list in connect _result', async () => {
    const c = await RtmpClient.connect(url);
    try {
      expect(c.serverFourCcList).toEqual(expect.arrayContaining(['hvc1', 'av01']));
      expect(c.connectInfo?.code).toBe('NetConnection.Connect.Success');
    } finally {
      await c.close();
    }
    expect(c.closed).toBe(true);
  });

  it('publishing a live key twice: the second gets ERR_CLIENT_REFUSED NetStream.Publish.BadName, the first stays live', async () => {
    const first = await RtmpClient.connect(url);
    const second = await RtmpClient.connect(url);
    try {
      await first.publish('dup');
      const live = bus.get(APP, 'dup')!;
      const err = await second.publish('dup').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isIngestError(err)).toBe(true);
      expect(err).toBeInstanceOf(RtmpStatusError);
      expect(err).toMatchObject({ code: 'ERR_CLIENT_REFUSED', status: 'NetStream.Publish.BadName' });
      await until(() => second.closed, 'the refused publisher to be disconnected');

      expect(bus.get(APP, 'dup')).toBe(live);
      expect(first.closed).toBe(false);
      first.sendVideo(tag, 0);
      await until(() => live.stats.videoFrames === 1, 'a frame from the first publisher');
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
    await until(() => bus.get(APP, 'dup') === undefined, 'the key to be released');
  });

  it('playing a stream that is not live gives ERR_CLIENT_REFUSED NetStream.Play.StreamNotFound', async () => {
    const c = await RtmpClient.connect(url);
    try {
      await expect(c.play('nobody-here')).rejects.toMatchObject({ code: 'ERR_CLIENT_REFUSED', status: 'NetStream.Play.StreamNotFound' });
    } finally {
      await c.close();
    }
  });

  it('a refused connect (invalid app name) gives ERR_CLIENT_REFUSED NetConnection.Connect.Rejected', async () => {
    await expect(RtmpClient.connect(url.replace(`/${APP}`, '/bad%20app'))).rejects.toMatchObject({
      code: 'ERR_CLIENT_REFUSED',
      status: 'NetConnection.Connect.Rejected',
    });
  });

  it('a server that never answers the handshake: ERR_CLIENT_TIMEOUT within timeoutMs', async () => {
    const sockets: net.Socket[] = [];
    const mute = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const { port } = mute.address() as net.AddressInfo;
    try {
      const t0 = performance.now();
      await expect(RtmpClient.connect(`rtmp://127.0.0.1:${port}/live`, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'ERR_CLIENT_TIMEOUT' });
      expect(performance.now() - t0).toBeLessThan(2000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => mute.close(r));
    }
  });

  it('nothing listening: ERR_CLIENT_CLOSED', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((r) => probe.close(r));
    await expect(RtmpClient.connect(`rtmp://127.0.0.1:${port}/live`, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
  });

  it('a player sees the end when the publisher leaves, and its pending work settles', async () => {
    const pub = await RtmpClient.connect(url);
    const player = await RtmpClient.connect(url);
    try {
      await pub.publish('bye');
      pub.sendVideo(tag, 0);
      await until(() => bus.get(APP, 'bye')?.stats.videoFrames === 1, 'the keyframe on the bus');
      const got: MediaMessage[] = [];
      player.on('message', (m) => got.push(m));
      const ended = new Promise<string>((r) => player.once('end', r));
      await player.play('bye');
      await until(() => got.length === 1, 'the cached keyframe');
      await pub.close();
      expect(await ended).toBe('StreamEOF');
      expect((got[0] as VideoMessage).body.equals(tag)).toBe(true);
    } finally {
      await Promise.all([pub.close(), player.close()]);
    }
  });

  it('rtmps://: publishes and plays over TLS (certificate pinned with ca, or rejectUnauthorized: false)', async () => {
    const pub = await RtmpClient.connect(tlsUrl, { tls: { ca: TEST_TLS_CERT } });
    const player = await RtmpClient.connect(tlsUrl, { tls: { rejectUnauthorized: false } });
    try {
      await pub.publish('secure');
      pub.sendVideo(tag, 0);
      await until(() => bus.get(APP, 'secure')?.stats.videoFrames === 1, 'the keyframe on the bus');
      const got: MediaMessage[] = [];
      player.on('message', (m) => got.push(m));
      await player.play('secure');
      await until(() => got.length === 1, 'the cached keyframe over TLS');
      expect(got[0]).toMatchObject({ kind: 'video', codec: 'hevc', fourcc: 'hvc1', keyframe: true, dts: 0 });
      expect([...server.sessions()].filter((s) => s.protocol === 'rtmps').length).toBe(2);
    } finally {
      await Promise.all([pub.close(), player.close()]);
    }
  });

  it('rtmps:// with an untrusted certificate fails to connect with ERR_CLIENT_CLOSED', async () => {
    await expect(RtmpClient.connect(tlsUrl, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
  });
});

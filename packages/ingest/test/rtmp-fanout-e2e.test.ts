/**
 * RTMP play through the shared fan-out, end to end on 127.0.0.1: an RtmpClient publishes a synthetic
 * AVC+AAC stream to an RtmpServer, RtmpClient players join at different points; each must get
 * metadata and sequence headers, then frames from a keyframe on, in order, with the publisher's
 * timestamps and bytes. A player that switches video off (receiveVideo false) leaves the shared
 * fan-out and gets audio only; switched back on, its video resumes at a keyframe.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtmpServer, StreamBus, buildAacTag, buildLegacyAvcTag, type MediaMessage, type SessionLimits } from '../src/index.js';
import { until } from './support/until.js';
import { RtmpClient } from '../src/client/index.js';

const LIMITS: SessionLimits = {
  maxMessageSize: 1024 * 1024,
  maxChunkStreams: 64,
  chunkSize: 4096,
  ackWindow: 2_500_000,
  handshakeTimeoutMs: 5000,
  idleTimeoutMs: 10_000,
};
const GOP = 10; // a keyframe every 10 video frames
const FRAME_MS = 40;

let bus: StreamBus;
let server: RtmpServer;
let url: string;

beforeAll(async () => {
  bus = new StreamBus();
  server = new RtmpServer({ bus, logger: pino({ level: 'silent' }), maxConnections: 50, limits: LIMITS });
  const addr = await server.listen(0, '127.0.0.1');
  url = `rtmp://127.0.0.1:${addr.port}/live`;
});

afterAll(async () => {
  await server.close();
});

const avcConfig = buildLegacyAvcTag({ frameType: 1, packetType: 0, payload: Buffer.from([1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 0]) });
const aacConfig = buildAacTag({ packetType: 0, payload: Buffer.from([0x12, 0x10]) });
/** Video frame i: a keyframe every GOP frames; the payload carries i so every frame's bytes differ. */
const videoFrame = (i: number) =>
  buildLegacyAvcTag({ frameType: i % GOP === 0 ? 1 : 2, packetType: 1, cts: 0, payload: Buffer.from([0, 0, 0, 3, i % GOP === 0 ? 0x65 : 0x41, i >> 8, i & 0xff]) });
const audioFrame = (i: number) => buildAacTag({ packetType: 1, payload: Buffer.from([0x21, i >> 8, i & 0xff]) });

/** Frame index encoded in a received tag body (see videoFrame / audioFrame). */
const indexOf = (m: MediaMessage) => m.body.readUInt16BE(m.body.length - 2);

interface Watch {
  client: RtmpClient;
  got: MediaMessage[];
  video(): number[];
  audio(): number[];
}

async function watch(key: string): Promise<Watch> {
  const client = await RtmpClient.connect(url);
  const got: MediaMessage[] = [];
  client.on('message', (m: MediaMessage) => got.push(m));
  await client.play(key);
  const frames = (kind: 'audio' | 'video') => got.filter((m) => m.kind === kind && m.packet === 'frame').map(indexOf);
  return { client, got, video: () => frames('video'), audio: () => frames('audio') };
}

describe('RTMP play through the shared fan-out', () => {
  it('gives every player headers then a keyframe-first, gapless run of the publisher’s frames; receiveVideo leaves and rejoins at a keyframe', async () => {
    const key = 'fan';
    const pub = await RtmpClient.connect(url);
    await pub.publish(key);
    pub.sendMetadata({ width: 320, height: 240, framerate: 25 });
    pub.sendVideo(avcConfig, 0);
    pub.sendAudio(aacConfig, 0);
    const live = () => bus.get('live', key)!;
    let sent = 0;
    const send = async (n: number) => {
      for (const end = sent + n; sent < end; sent++) {
        pub.sendAudio(audioFrame(sent), sent * FRAME_MS);
        pub.sendVideo(videoFrame(sent), sent * FRAME_MS);
      }
      await until(() => live().stats.videoFrames === sent, `${sent} frames on the bus`);
    };

    const early = await watch(key); // before any frame: waits for the first keyframe
    await send(15);
    const late = await watch(key); // mid-GOP: starts at frame 10 from the GOP cache
    const filtering = await watch(key);
    await until(() => late.video().length >= 5 && filtering.video().length >= 5, 'the GOP cache at the late players');
    filtering.client.receive('video', false);
    await new Promise((r) => setTimeout(r, 50)); // the command reaches the server before more frames
    await send(10); // frames 15..24: no video for `filtering`
    await until(() => filtering.audio().includes(24), 'audio 24 at the filtering player');
    filtering.client.receive('video', true);
    await new Promise((r) => setTimeout(r, 50));
    await send(21); // frames 25..45: keyframes at 30 and 40

    await until(() => [early, late, filtering].every((w) => w.video().includes(45)), 'frame 45 everywhere');
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(early.video()).toEqual(range(0, 45));
    expect(late.video()).toEqual(range(10, 45));
    expect(filtering.video()).toEqual([...range(10, 14), ...range(30, 45)]);
    // Audio never stops: the move from the fan-out to its own subscription loses and repeats nothing.
    // (Joiners start at the keyframe; the audio frame sent just before it is not theirs.)
    expect(early.audio()).toEqual(range(1, 45));
    expect(late.audio()).toEqual(range(11, 45));
    expect(filtering.audio()).toEqual(range(11, 45));

    for (const w of [early, late, filtering]) {
      // metadata, then both sequence headers, before any frame
      const head = w.got.slice(0, 3).map((m) => (m.kind === 'data' ? m.name : `${m.kind}:${m.packet}`));
      expect(head[0]).toBe('onMetaData');
      expect(head.slice(1).sort()).toEqual(['audio:config', 'video:config']);
      // publisher's timestamps and bytes, kept as sent
      for (const m of w.got) {
        if (m.kind === 'data' || m.packet !== 'frame') continue;
        const i = indexOf(m);
        expect(m.dts).toBe(i * FRAME_MS);
        expect(m.body.equals(m.kind === 'video' ? videoFrame(i) : audioFrame(i))).toBe(true);
      }
    }
    expect(live().viewerCount).toBe(3);

    const ends = [early, late, filtering].map((w) => new Promise<string>((r) => w.client.once('end', r)));
    await pub.close();
    await Promise.all(ends);
    await Promise.all([early, late, filtering].map((w) => w.client.close()));
  });
});

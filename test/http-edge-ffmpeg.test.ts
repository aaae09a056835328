import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'm3u8-parser';
import { Socket } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { demuxTs } from '../packages/remux/test/mpegts-test-demuxer.js';
import { describeWithTools } from './support/tools.js';
import { probe, publish, run, start } from './support/ffmpeg.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';
import { recordWsFlv } from './support/ws-flv.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-edge-'));

interface Playlist {
  mediaSequence: number;
  targetDuration: number;
  endList?: boolean;
  discontinuityStarts: number[];
  segments: { uri: string; duration: number; discontinuity?: boolean }[];
}
function parsePlaylist(text: string): Playlist {
  const p = new Parser();
  p.push(text);
  p.end();
  return p.manifest as unknown as Playlist;
}

/** Frames ffmpeg decodes from `input`, with anything it printed at -v error. */
async function decode(input: string): Promise<{ frames: number; errors: string; code: number | null }> {
  const r = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-nostats', '-i', input, '-map', '0:v', '-f', 'null', '-', '-progress', 'pipe:1'], 60_000);
  const frames = [...r.stdout.matchAll(/^frame=(\d+)/gm)].map((m) => Number(m[1])).at(-1) ?? 0;
  return { frames, errors: r.stderr.trim(), code: r.code };
}

describeWithTools(['ffmpeg', 'ffprobe'], 'HTTP-FLV, WS-FLV and HLS with real ffmpeg clients', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(['--hls-segment-duration', '2', '--hls-playlist-length', '4']);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('serves one 10 s publish over HTTP-FLV, WS-FLV and HLS that ffprobe and ffmpeg read cleanly', async () => {
    const wsUrl = `ws://127.0.0.1:${gw.addresses.http.port}/live/edge.flv`;
    const pub = publish(gw.rtmpUrl('live/edge'), { seconds: 10, size: '320x240', rate: 25, gop: 50 });
    await waitFor(() => gw.ctx.bus.get('live', 'edge') !== undefined, 'the publish');
    // All joined within the first GOP: each gets the whole stream from the GOP cache.
    const flvDecode = decode(gw.httpUrl('/live/edge.flv'));
    const wsFile = join(dir, 'edge-ws.flv');
    const ws = recordWsFlv(wsUrl, wsFile);
    const flvProbe = probe(gw.httpUrl('/live/edge.flv'));
    const { streams } = await flvProbe;
    expect(streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    const v = streams.find((s) => s.codec_type === 'video')!;
    expect([v.width, v.height]).toEqual([320, 240]);
    // while live: the API sees the stream and its viewers
    const api = (await (await fetch(gw.httpUrl('/api/streams/live/edge'))).json()) as { video: { codec: string; width: number; height: number; codecString: string }; audio: { codec: string; sampleRate: number; channels: number }; viewers: Record<string, number>; publisher: { address: string } };
    expect(api.video).toMatchObject({ codec: 'avc', width: 320, height: 240 });
    expect(api.video.codecString).toMatch(/^avc1\.[0-9a-f]{6}$/i);
    expect(api.audio).toMatchObject({ codec: 'aac', sampleRate: 44100, channels: 1 });
    expect(api.viewers['http-flv']).toBeGreaterThanOrEqual(1);
    expect(api.viewers['ws-flv']).toBe(1);
    expect(api.publisher.address).toMatch(/^127\.0\.0\.1:\d+$/);

    expect((await pub.done).code).toBe(0);
    const flv = await flvDecode;
    expect(flv.errors).toBe('');
    expect(flv.code).toBe(0);
    expect(flv.frames).toBe(250);
    const wsr = await ws;
    expect(wsr.closeCode).toBe(1000);
    const wsDecoded = await decode(wsFile);
    expect(wsDecoded.errors).toBe('');
    expect(wsDecoded.frames).toBe(250);

    // HLS: the whole stream is in the ended playlist's window plus what slid out; decode the playlist.
    const playlistUrl = gw.httpUrl('/live/edge/index.m3u8');
    await waitFor(async () => (await (await fetch(playlistUrl)).text()).includes('#EXT-X-ENDLIST'), 'ENDLIST');
    const res = await fetch(playlistUrl);
    expect(res.headers.get('content-type')).toMatch(/mpegurl/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=1\b/);
    const pl = parsePlaylist(await res.text());
    expect(pl.endList).toBe(true);
    expect(pl.segments.length).toBe(4);
    expect(pl.mediaSequence).toBe(1); // 5 segments of 2 s, a window of 4
    const hlsProbe = await probe(playlistUrl, { countFrames: true });
    expect(hlsProbe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Number(hlsProbe.streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBe(200); // 4 segments x 2 s x 25 fps
    const hls = await decode(playlistUrl);
    expect(hls.errors).toBe('');

    // Every segment: PAT/PMT first, continuity without gaps, PCR present and monotonic, a keyframe first, duration within target.
    const cc = new Map<number, number>();
    for (const s of pl.segments) {
      const r = await fetch(gw.httpUrl(`/live/edge/${s.uri}`));
      expect(r.headers.get('cache-control')).toMatch(/immutable/);
      const d = demuxTs(Buffer.from(await r.arrayBuffer()), cc);
      expect(d.ccErrors).toEqual([]);
      expect(d.crcErrors).toEqual([]);
      expect(d.pids.slice(0, 2)).toEqual([0, 0x1000]);
      expect(d.pcrs.length).toBeGreaterThan(0);
      for (let i = 1; i < d.pcrs.length; i++) expect(d.pcrs[i]!.base).toBeGreaterThanOrEqual(d.pcrs[i - 1]!.base);
      const video = d.pes.filter((p) => p.pid === 0x100);
      expect(video[0]!.randomAccess).toBe(true);
      expect(s.duration).toBeLessThanOrEqual(pl.targetDuration);
    }
  });

  it('slides the HLS window, marks a republish with a discontinuity and an unpublish with ENDLIST', async () => {
    const url = gw.httpUrl('/live/slide/index.m3u8');
    const first = publish(gw.rtmpUrl('live/slide'), { seconds: 12, gop: 25 }); // 1 s GOPs, 2 s segments
    const seqs: number[] = [];
    await waitFor(async () => {
      const r = await fetch(url);
      if (r.status === 200) {
        const seq = parsePlaylist(await r.text()).mediaSequence;
        if (seqs.at(-1) !== seq) seqs.push(seq);
      }
      return seqs.length >= 3;
    }, 'the media sequence to grow', 30_000);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect((await first.done).code).toBe(0);
    await waitFor(async () => (await (await fetch(url)).text()).includes('#EXT-X-ENDLIST'), 'ENDLIST after the unpublish');
    const second = publish(gw.rtmpUrl('live/slide'), { seconds: 5, gop: 25 });
    await waitFor(async () => {
      const t = await (await fetch(url)).text();
      return t.includes('#EXT-X-DISCONTINUITY') && !t.includes('#EXT-X-ENDLIST');
    }, 'a discontinuity after the republish', 20_000);
    expect((await second.done).code).toBe(0);
    await waitFor(async () => (await (await fetch(url)).text()).includes('#EXT-X-ENDLIST'), 'ENDLIST again');
    const pl = parsePlaylist(await (await fetch(url)).text());
    expect(pl.discontinuityStarts.length).toBe(1);
    const hls = await decode(url);
    expect(hls.errors).toBe('');
    expect(hls.frames).toBeGreaterThan(0);
  });

  it('answers unknown streams and odd paths with a JSON 404, never a crash', async () => {
    for (const path of ['/live/nothing.flv', '/live/x.y.flv', '/live/nothing/index.m3u8', '/live/nothing/abc.ts', '/live/a/../../etc.flv', '/%E0%A4%A/x.flv', '/live/x.mp4']) {
      const r = await fetch(gw.httpUrl(path));
      expect(r.status, path).toBe(path.includes('%E0%A4%A') ? 400 : 404);
      expect(r.headers.get('content-type'), path).toMatch(/json/);
    }
    const health = await fetch(gw.httpUrl('/healthz'));
    expect(health.status).toBe(200);
  });

  it('counts publishers, viewers and bytes in /metrics as they come and go', async () => {
    const metric = async (name: string) => {
      const text = await (await fetch(gw.httpUrl('/metrics'))).text();
      const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{') && l.includes(name));
      return line ? Number(line.split(' ').at(-1)) : NaN;
    };
    expect(await metric('livegate_publishers')).toBe(0);
    const pub = publish(gw.rtmpUrl('live/metered'), { seconds: 20 });
    await waitFor(async () => (await metric('livegate_publishers')) === 1, 'a publisher in /metrics');
    const viewer = start('ffmpeg', ['-hide_banner', '-v', 'error', '-i', gw.httpUrl('/live/metered.flv'), '-f', 'null', '-'], 30_000);
    await waitFor(async () => (await metric('livegate_viewers{protocol="http-flv"}')) === 1, 'an HTTP-FLV viewer in /metrics');
    const bytesOut = await metric('livegate_bytes_out_total{protocol="http-flv"}');
    await waitFor(async () => (await metric('livegate_bytes_out_total{protocol="http-flv"}')) > bytesOut, 'bytes out to grow');
    await waitFor(async () => (await metric('livegate_stream_fps{stream="live/metered"}')) > 20, 'the stream fps', 10_000);
    // One viewer, an idle process: batches wait for their pass only as long as the pacing gathers, nothing is shed.
    const lag = await metric('livegate_stream_fanout_lag_ms{stream="live/metered"}');
    expect(lag >= 0 && lag < 1000).toBe(true);
    expect(await metric('livegate_frames_shed_total')).toBe(0);
    viewer.kill('SIGKILL');
    await waitFor(async () => (await metric('livegate_viewers{protocol="http-flv"}')) === 0, 'the viewer to leave');
    pub.kill('SIGKILL');
    await waitFor(async () => (await metric('livegate_publishers')) === 0, 'the publisher to leave');
    expect(await metric('livegate_bytes_in_total')).toBeGreaterThan(0);
    expect(await metric('livegate_hls_segments_total')).toBeGreaterThan(0);
  });

  it('with viewers.tcpNoDelay false, HTTP-FLV, WS-FLV and RTMP viewers get Nagle on and ffmpeg still decodes every frame', async () => {
    const last = new Map<Socket, boolean>(); // each socket's latest TCP_NODELAY setting
    const original = Socket.prototype.setNoDelay;
    const spy = vi.spyOn(Socket.prototype, 'setNoDelay').mockImplementation(function (this: Socket, on?: boolean) {
      last.set(this, on !== false);
      return original.call(this, on);
    });
    const nagle = await startTestGateway(['--viewers-tcp-no-delay', 'false', '--hls-enabled', 'false']);
    try {
      const pub = publish(nagle.rtmpUrl('live/nagle'), { seconds: 4, size: '320x240', rate: 25, gop: 50 });
      await waitFor(() => nagle.ctx.bus.get('live', 'nagle') !== undefined, 'the publish');
      const wsFile = join(dir, 'nagle-ws.flv');
      const [http, ws, rtmp] = await Promise.all([
        decode(nagle.httpUrl('/live/nagle.flv')),
        recordWsFlv(`ws://127.0.0.1:${nagle.addresses.http.port}/live/nagle.flv`, wsFile),
        decode(nagle.rtmpUrl('live/nagle')),
      ]);
      expect((await pub.done).code).toBe(0);
      expect(ws.closeCode).toBe(1000);
      for (const r of [http, rtmp, await decode(wsFile)]) {
        expect(r.errors).toBe('');
        expect(r.frames).toBe(100);
      }
      // the three viewers' sockets ended with Nagle on; the publisher's kept TCP_NODELAY
      expect([...last.values()].filter((on) => !on)).toHaveLength(3);
      expect([...last.values()].filter((on) => on).length).toBeGreaterThanOrEqual(1);
    } finally {
      spy.mockRestore();
      await nagle.close();
    }
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from './support/tools.js';
import { probe, publish, run, start } from './support/ffmpeg.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-rtmp-'));

describeWithTools(['ffmpeg', 'ffprobe'], 'RTMP with real ffmpeg clients', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('relays a 10 s libx264+aac publish to an RTMP player: codecs, resolution and every frame', async () => {
    const pub = publish(gw.rtmpUrl('live/roundtrip'), { seconds: 10, size: '320x240', rate: 25, gop: 50 });
    await waitFor(() => gw.ctx.bus.get('live', 'roundtrip') !== undefined, 'the publish');
    // Joined within the first GOP, the player gets the whole stream from the GOP cache.
    const out = join(dir, 'roundtrip.flv');
    const play = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-i', gw.rtmpUrl('live/roundtrip'), '-c', 'copy', '-y', out], 40_000);
    const p = await pub.done;
    expect(p.code, p.stderr).toBe(0);
    expect(play.code, play.stderr).toBe(0);
    const { streams } = await probe(out, { countFrames: true });
    const v = streams.find((s) => s.codec_type === 'video')!;
    const a = streams.find((s) => s.codec_type === 'audio')!;
    expect(v.codec_name).toBe('h264');
    expect([v.width, v.height]).toEqual([320, 240]);
    expect(Number(v.nb_read_frames)).toBe(250);
    expect(a.codec_name).toBe('aac');
    expect(a.sample_rate).toBe('44100');
    // 10 s of 1024-sample AAC frames at 44.1 kHz: 430-431
    expect(Number(a.nb_read_frames)).toBeGreaterThanOrEqual(429);
    expect(Number(a.nb_read_frames)).toBeLessThanOrEqual(432);
  });

  it('refuses a second publisher on a live key while the first stays live; killing the publisher ends the player cleanly', async () => {
    const first = publish(gw.rtmpUrl('live/taken'), { seconds: 30 });
    await waitFor(() => gw.ctx.bus.get('live', 'taken') !== undefined, 'the first publish');
    const live = gw.ctx.bus.get('live', 'taken')!;
    const player = start('ffmpeg', ['-hide_banner', '-v', 'error', '-i', gw.rtmpUrl('live/taken'), '-f', 'null', '-'], 40_000);
    const second = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-f', 'flv', gw.rtmpUrl('live/taken')], 20_000);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/already publishing|BadName/i);
    expect(gw.ctx.bus.get('live', 'taken')).toBe(live);
    const frames = live.stats.videoFrames;
    await new Promise((r) => setTimeout(r, 1000));
    expect(live.stats.videoFrames).toBeGreaterThan(frames); // the first publisher kept going
    expect(gw.rtmp.counters.publishRefused).toBeGreaterThanOrEqual(1);
    first.kill('SIGKILL');
    const p = await player.done;
    expect(p.code, p.stderr).toBe(0); // NetStream.Play.UnpublishNotify ends ffmpeg's input with EOF
    await waitFor(() => gw.ctx.bus.get('live', 'taken') === undefined, 'the unpublish');
    // a later publish on the same key starts again
    const again = publish(gw.rtmpUrl('live/taken'), { seconds: 2 });
    await waitFor(() => gw.ctx.bus.get('live', 'taken') !== undefined, 'the republish');
    expect((await again.done).code).toBe(0);
  });

  it("gives a late joiner a keyframe as its first video frame", async () => {
    const pub = publish(gw.rtmpUrl('live/late'), { seconds: 12, gop: 50 });
    await waitFor(() => (gw.ctx.bus.get('live', 'late')?.stats.videoFrames ?? 0) > 80, 'frames past the second keyframe');
    const r = await run('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_packets', '-show_entries', 'packet=pts_time,flags', '-read_intervals', '%+#10', '-of', 'csv=p=0', gw.rtmpUrl('live/late')], 30_000);
    pub.kill('SIGKILL');
    expect(r.code, r.stderr).toBe(0);
    const packets = r.stdout.trim().split('\n');
    expect(packets.length).toBe(10);
    expect(packets[0]).toMatch(/,K/); // first packet: keyframe
    expect(Number(packets[0]!.split(',')[0])).toBeGreaterThanOrEqual(1.9); // not the first GOP: the cached one
  });

  it('answers a player on a missing stream with StreamNotFound', async () => {
    const r = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-i', gw.rtmpUrl('live/missing'), '-f', 'null', '-'], 20_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/StreamNotFound|not live/i);
  });
});

describeWithTools(['ffmpeg', 'ffprobe', 'openssl'], 'RTMPS with real ffmpeg clients', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    gw = await startTestGateway(['--rtmps-port', '0', '--rtmps-cert', cert, '--rtmps-key', key]);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('publishes and plays over TLS', async () => {
    const port = gw.addresses.rtmps!.port;
    const url = `rtmps://127.0.0.1:${port}/live/secure`;
    const pub = publish(url, { seconds: 4, gop: 25 });
    await waitFor(() => gw.ctx.bus.get('live', 'secure') !== undefined, 'the RTMPS publish');
    expect(gw.ctx.bus.get('live', 'secure')!.publisher.protocol).toBe('rtmps');
    const out = join(dir, 'secure.flv');
    const play = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-i', url, '-c', 'copy', '-y', out], 30_000);
    expect((await pub.done).code).toBe(0);
    expect(play.code, play.stderr).toBe(0);
    const { streams } = await probe(out, { countFrames: true });
    expect(streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Number(streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBe(100);
  });
});

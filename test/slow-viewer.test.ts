import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from './support/tools.js';
import { start } from './support/ffmpeg.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';
import { watchFlv } from './support/flv-watch.js';

const MAX_BACKLOG = 1024 * 1024;

describeWithTools(['ffmpeg'], 'a viewer that reads nothing', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(['--viewers-max-backlog-bytes', String(MAX_BACKLOG), '--viewers-max-behind-ms', '5000']);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('for 30 s: bounded memory, the slow viewer skips then is closed, the normal viewer gets every frame', async () => {
    // ~6 Mb/s constant bit rate, so the stalled socket fills in seconds.
    const pub = start('ffmpeg', ['-hide_banner', '-v', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '34',
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast', '-g', '50', '-b:v', '6M', '-minrate', '6M', '-maxrate', '6M', '-bufsize', '2M',
      '-x264-params', 'nal-hrd=cbr:filler=1', '-f', 'flv', gw.rtmpUrl('live/slow')], 70_000);
    await waitFor(() => (gw.ctx.bus.get('live', 'slow')?.stats.videoFrames ?? 0) > 0, 'the publish');
    const port = gw.addresses.http.port;
    // The slow viewer sends its request, then never reads a byte.
    const slow = net.connect(port, '127.0.0.1');
    slow.on('connect', () => {
      slow.write('GET /live/slow.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      slow.pause();
    });
    slow.on('error', () => {});
    const normal = watchFlv(port, '/live/slow.flv'); // a normal, reading viewer
    const mem0 = process.memoryUsage();
    let maxBacklog = 0;
    let maxGrowth = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < 30_000) {
      await new Promise((r) => setTimeout(r, 500));
      for (const v of gw.ctx.viewers.all()) maxBacklog = Math.max(maxBacklog, (v as unknown as { backlog(): number }).backlog());
      const m = process.memoryUsage();
      maxGrowth = Math.max(maxGrowth, m.heapUsed + m.arrayBuffers - (mem0.heapUsed + mem0.arrayBuffers));
    }
    const elapsed = (Date.now() - t0) / 1000;
    // The stalled viewer skipped frames and was closed once behind for 5 s.
    expect(gw.ctx.bus.counters.framesDropped).toBeGreaterThan(0);
    expect(gw.ctx.bus.counters.subscribersClosedSlow).toBe(1);
    expect(gw.ctx.counters.viewersClosedSlow).toBe(1);
    // What the gateway held for it stayed near the bound: one backlog plus a tag or so.
    expect(maxBacklog).toBeLessThan(MAX_BACKLOG + 512 * 1024);
    expect(maxGrowth).toBeLessThan(64 * 1024 * 1024);
    // The normal viewer got the stream in real time: ~25 video frames a second, minus at most one GOP.
    expect(normal.state.videoTags).toBeGreaterThanOrEqual(Math.floor(elapsed * 25) - 50);
    expect(gw.ctx.viewers.size).toBe(1);
    normal.close();
    slow.destroy();
    pub.kill('SIGKILL');
    await pub.done;
  }, 90_000);
});

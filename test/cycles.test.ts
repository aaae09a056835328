/**
 * Issue 5: 1,000 publish/unpublish cycles (livegate's RtmpClient) and 5,000 viewer connect/disconnect
 * cycles (HTTP-FLV, WS-FLV, RTMP) leave nothing behind: sessions, viewers, bus entries, per-IP
 * entries, listeners, sockets and timers all return to their baseline.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RtmpClient } from '../packages/ingest/src/index.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';
import { activeResources, heapAfterGc, openFds, pool } from './support/leaks.js';

const KEYFRAME = Buffer.from([0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65]);

/** Everything that must not grow across cycles. */
function census(gw: TestGateway) {
  const bus = gw.ctx.bus;
  return {
    streams: bus.size,
    sessions: [...gw.rtmp.sessions()].length,
    rtmpAddresses: gw.rtmp.peerAddresses,
    viewers: gw.ctx.viewers.size,
    viewerAddresses: gw.ctx.viewers.addresses,
    busListeners: bus.eventNames().reduce((n, e) => n + bus.listenerCount(e), 0),
    handles: (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length,
    resources: activeResources(),
    fds: openFds(),
  };
}

/** An HTTP-FLV GET that waits for the first body bytes, then hangs up. */
function flvOnce(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
    s.once('data', (d: Buffer) => {
      if (!d.toString('latin1').startsWith('HTTP/1.1 200')) reject(new Error(`got ${d.toString('latin1').slice(0, 40)}`));
      s.destroy();
    });
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

describe('connect/disconnect cycles leak nothing', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(['--rtmp-max-connections-per-ip', '0']);
  });
  afterAll(() => gw?.close());

  it('1,000 publish/unpublish cycles with RtmpClient', async () => {
    // warm up once so lazily created state (HLS entries for the keys, pools) is in the baseline
    const warm = async (w: number) => {
      const c = await RtmpClient.connect(gw.rtmpUrl('live'));
      await c.publish(`w${w}`);
      c.sendVideo(KEYFRAME, 0);
      await c.close();
    };
    for (let w = 0; w < 10; w++) await warm(w);
    await waitFor(() => gw.ctx.bus.size === 0 && census(gw).sessions === 0, 'warm-up gone');
    await new Promise((r) => setTimeout(r, 300)); // let the warm-up's closing timers run out, as after the cycles
    const before = census(gw);
    const heap0 = heapAfterGc();
    const t0 = Date.now();
    let published = 0;
    await pool(1000, 10, async (i) => {
      const key = `w${i % 10}`;
      await waitFor(() => gw.ctx.bus.get('live', key) === undefined, 'the key free', 5000);
      const c = await RtmpClient.connect(gw.rtmpUrl('live'));
      await c.publish(key);
      c.sendVideo(KEYFRAME, 0);
      published++;
      await c.close();
    });
    await waitFor(() => gw.ctx.bus.size === 0 && census(gw).sessions === 0, 'every publisher gone');
    await new Promise((r) => setTimeout(r, 300));
    const after = census(gw);
    const heap1 = heapAfterGc();
    console.log(JSON.stringify({ publishCycles: published, ms: Date.now() - t0, before, after, heapMiB: [heap0, heap1].map((h) => Math.round(h / 2 ** 17) / 8) }));
    expect(published).toBe(1000);
    expect(after).toEqual(before);
    expect(heap1 - heap0).toBeLessThan(16 * 2 ** 20);
  });

  it('5,000 viewer cycles: 3,000 HTTP-FLV, 1,000 WS-FLV, 1,000 RTMP play', async () => {
    const pub = await RtmpClient.connect(gw.rtmpUrl('live'));
    await pub.publish('v');
    let ts = 0;
    pub.sendVideo(KEYFRAME, 0);
    const tick = setInterval(() => pub.sendVideo(KEYFRAME, (ts += 40)), 40);
    try {
      // warm-up, then the baseline with the publisher live
      await flvOnce(gw.addresses.http.port, '/live/v.flv');
      await waitFor(() => gw.ctx.viewers.size === 0, 'warm-up viewer gone');
      await new Promise((r) => setTimeout(r, 200));
      const before = census(gw);
      const heap0 = heapAfterGc();
      const t0 = Date.now();
      const done = { 'http-flv': 0, 'ws-flv': 0, rtmp: 0 };
      await pool(5000, 50, async (i) => {
        if (i % 5 < 3) {
          await flvOnce(gw.addresses.http.port, '/live/v.flv');
          done['http-flv']++;
        } else if (i % 5 === 3) {
          const ws = new WebSocket(`ws://127.0.0.1:${gw.addresses.http.port}/live/v.flv`);
          await new Promise<void>((resolve, reject) => {
            ws.once('message', () => ws.terminate());
            ws.once('close', () => resolve());
            ws.once('error', reject);
          });
          done['ws-flv']++;
        } else {
          const c = await RtmpClient.connect(gw.rtmpUrl('live'));
          await c.play('v');
          await c.close();
          done.rtmp++;
        }
      });
      await waitFor(() => gw.ctx.viewers.size === 0 && census(gw).sessions === 1, 'every viewer gone');
      await new Promise((r) => setTimeout(r, 300));
      const after = census(gw);
      const heap1 = heapAfterGc();
      console.log(JSON.stringify({ viewerCycles: done, ms: Date.now() - t0, before, after, heapMiB: [heap0, heap1].map((h) => Math.round(h / 2 ** 17) / 8) }));
      expect(done).toEqual({ 'http-flv': 3000, 'ws-flv': 1000, rtmp: 1000 });
      expect(gw.ctx.bus.get('live', 'v')!.viewerCount).toBe(0);
      expect(after).toEqual(before);
      expect(heap1 - heap0).toBeLessThan(16 * 2 ** 20);
    } finally {
      clearInterval(tick);
      await pub.close();
    }
  });
});

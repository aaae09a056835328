import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket, * as wsPackage from 'ws';
import { describeWithTools } from './support/tools.js';
import { recordWsFlv } from './support/ws-flv.js';
import { probe, publish, run } from './support/ffmpeg.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';
import { watchFlv } from './support/flv-watch.js';

const TOKEN = 'viewer-workers-admin-token';
/** ws's frame parser: the package exports it (`Receiver`), @types/ws does not declare it. */
const Receiver = (wsPackage as unknown as { Receiver: new (o: { isServer: boolean; maxPayload: number }) => import('node:stream').Writable }).Receiver;

/** Frames ffmpeg decodes from `input`, with anything it printed at -v error. */
async function decode(input: string): Promise<{ frames: number; errors: string; code: number | null }> {
  const r = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-nostats', '-i', input, '-map', '0:v', '-f', 'null', '-', '-progress', 'pipe:1'], 60_000);
  const frames = [...r.stdout.matchAll(/^frame=(\d+)/gm)].map((m) => Number(m[1])).at(-1) ?? 0;
  return { frames, errors: r.stderr.trim(), code: r.code };
}

interface AdminViewer {
  id: string;
  protocol: string;
  stream: string;
  bytesOut: number;
  worker?: number;
}

describeWithTools(['ffmpeg', 'ffprobe'], 'HTTP-FLV and WS-FLV viewers served by worker processes (viewers.workers = 2)', () => {
  let gw: TestGateway;
  const adminViewers = async () =>
    ((await (await fetch(gw.httpUrl('/api/viewers'), { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { viewers: AdminViewer[] }).viewers;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  const dir = mkdtempSync(join(tmpdir(), 'livegate-workers-'));
  beforeAll(async () => {
    gw = await startTestGateway(['--viewers-workers', '2', '--admin-token', TOKEN]);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const pids = gw?.ctx.workers?.pids() ?? [];
    await gw?.close();
    // shutdown stops the workers too
    for (const pid of pids) if (pid) expect(alive(pid)).toBe(false);
  });

  it('ffmpeg decodes every frame through both workers; the API and metrics count the viewers; unpublish ends them cleanly', async () => {
    expect(gw.ctx.workers?.alive).toBe(2);
    const pub = publish(gw.rtmpUrl('live/w'), { seconds: 8, size: '320x240', rate: 25, gop: 50 });
    await waitFor(() => gw.ctx.bus.get('live', 'w') !== undefined, 'the publish');
    const ownSubscribers = gw.ctx.bus.get('live', 'w')!.subscriberCount; // HLS, captions: the gateway's own
    // Joined within the first GOP: each gets the whole stream from the GOP cache.
    const decoders = Array.from({ length: 4 }, () => decode(gw.httpUrl('/live/w.flv')));
    const { streams } = await probe(gw.httpUrl('/live/w.flv'));
    expect(streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 320, height: 240 });

    await waitFor(() => gw.ctx.viewers.size === 4, '4 viewers');
    const listed = await adminViewers();
    expect(listed.map((v) => v.protocol)).toEqual(['http-flv', 'http-flv', 'http-flv', 'http-flv']);
    expect(new Set(listed.map((v) => v.worker))).toEqual(new Set([0, 1])); // spread over both workers
    const api = (await (await fetch(gw.httpUrl('/api/streams/live/w'))).json()) as { viewers: Record<string, number> };
    expect(api.viewers['http-flv']).toBe(4);
    // The main process relays the stream once per worker, not once per viewer.
    expect(gw.ctx.bus.get('live', 'w')!.subscriberCount).toBe(ownSubscribers + 2);
    // Each worker's share and load, for the operator.
    const during = await (await fetch(gw.httpUrl('/metrics'))).text();
    const perWorker = (name: string) => [0, 1].map((i) => Number(new RegExp(`^${name}\\{worker="${i}"\\} (\\S+)`, 'm').exec(during)?.[1]));
    const shares = perWorker('livegate_viewer_worker_viewers'); // (how 4 split depends on when the probe left)
    expect(shares[0]! + shares[1]!).toBe(4);
    expect(Math.min(...shares)).toBeGreaterThan(0);
    for (const u of perWorker('livegate_viewer_worker_event_loop_utilization')) expect(u >= 0 && u <= 1).toBe(true);
    for (const d of perWorker('livegate_viewer_worker_batch_delay_ms')) expect(d).toBeGreaterThanOrEqual(0);
    for (const l of perWorker('livegate_viewer_worker_fanout_lag_ms')) expect(l >= 0 && l < 1000).toBe(true);
    expect(during).toMatch(/^livegate_frames_shed_total 0$/m);

    expect((await pub.done).code).toBe(0);
    for (const d of await Promise.all(decoders)) {
      expect(d.errors).toBe('');
      expect(d.code).toBe(0);
      expect(d.frames).toBe(200);
    }
    await waitFor(() => gw.ctx.viewers.size === 0, 'the viewers to be gone');
    const metrics = await (await fetch(gw.httpUrl('/metrics'))).text();
    const out = Number(/^livegate_bytes_out_total\{protocol="http-flv"\} (\d+)/m.exec(metrics)?.[1]);
    expect(out).toBeGreaterThan(4 * 100_000); // 4 viewers of 8 s (the bytes the workers reported)
  });

  it('WS-FLV through both workers: ffmpeg decodes every frame two WebSocket clients recorded; pings answered, closes echoed, bad text closed with 1007, a malformed frame closes only its viewer with 1002', async () => {
    const wsUrl = `ws://127.0.0.1:${gw.addresses.http.port}/live/ws.flv`;
    const pub = publish(gw.rtmpUrl('live/ws'), { seconds: 8, size: '320x240', rate: 25, gop: 50 });
    await waitFor(() => gw.ctx.bus.get('live', 'ws') !== undefined, 'the publish');
    const recordings = [0, 1].map((i) => recordWsFlv(wsUrl, join(dir, `ws-${i}.flv`)));
    await waitFor(() => gw.ctx.viewers.size === 2, '2 viewers');
    const listed = await adminViewers();
    expect(listed.map((v) => v.protocol)).toEqual(['ws-flv', 'ws-flv']);
    expect(new Set(listed.map((v) => v.worker))).toEqual(new Set([0, 1])); // one on each worker

    // A third client (on worker 0 again): ping and pong, then its close code comes back.
    const third = new WebSocket(wsUrl);
    await new Promise((resolve, reject) => third.once('open', resolve).once('error', reject));
    const pong = new Promise<string>((resolve) => third.once('pong', (d: Buffer) => resolve(d.toString())));
    third.ping(Buffer.from('are you there'));
    expect(await pong).toBe('are you there');
    await waitFor(async () => (await adminViewers()).filter((v) => v.worker !== undefined).length === 3, 'the third viewer on a worker');
    const echoed = new Promise<number>((resolve) => third.once('close', (code: number) => resolve(code)));
    third.close(4000, 'leaving');
    expect(await echoed).toBe(4000);
    await waitFor(() => gw.ctx.viewers.size === 2, 'the third viewer to leave the registry');

    // Text a viewer sends is read and dropped, but must be UTF-8 (as ws checks it in the main process): else 1007.
    const chatty = new WebSocket(wsUrl);
    await new Promise((resolve, reject) => chatty.once('open', resolve).once('error', reject));
    const chattyClosed = new Promise<number>((resolve) => chatty.once('close', (code: number) => resolve(code)));
    chatty.send('héllo 😀'); // fine: still playing after it
    chatty.send(Buffer.from([0x68, 0xc3]), { binary: false }); // a text message cut inside a character
    expect(await chattyClosed).toBe(1007);
    await waitFor(() => gw.ctx.viewers.size === 2, 'the viewer that sent bad text to leave');

    // A fourth on a raw socket sends an unmasked frame (clients must mask): 1002, connection closed.
    const raw = net.connect(gw.addresses.http.port, '127.0.0.1');
    let got = Buffer.alloc(0);
    raw.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
    const rawClosed = new Promise((resolve) => raw.on('close', resolve));
    raw.write('GET /live/ws.flv HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await waitFor(() => got.includes('\r\n\r\n'), 'the 101');
    expect(got.subarray(0, got.indexOf('\r\n')).toString()).toBe('HTTP/1.1 101 Switching Protocols');
    expect(got.toString('latin1')).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n');
    raw.write(Buffer.from([0x89, 0x00])); // an unmasked ping
    await rawClosed;
    // what came after the 101, through ws's client-side parser: FLV messages, then the close
    const receiver = new Receiver({ isServer: false, maxPayload: 0 });
    let closeCode = 0;
    let messages = 0;
    receiver.on('message', () => messages++);
    receiver.on('conclude', (c: number) => (closeCode = c));
    receiver.write(got.subarray(got.indexOf('\r\n\r\n') + 4));
    expect(messages).toBeGreaterThan(0); // it was playing
    expect(closeCode).toBe(1002);

    expect((await pub.done).code).toBe(0);
    for (const [i, r] of (await Promise.all(recordings)).entries()) {
      expect(r.closeCode).toBe(1000); // "stream ended", from the worker
      const d = await decode(join(dir, `ws-${i}.flv`));
      expect(d.errors).toBe('');
      expect(d.frames).toBe(200);
    }
    await waitFor(() => gw.ctx.viewers.size === 0, 'the viewers to be gone');
    const metrics = await (await fetch(gw.httpUrl('/metrics'))).text();
    expect(Number(/^livegate_bytes_out_total\{protocol="ws-flv"\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(2 * 100_000);
  });

  it('a WS-FLV viewer of a stream that is not live is refused with 4404 (admission stays in the main process)', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${gw.addresses.http.port}/live/nothing.flv`);
    const code = await new Promise<number>((resolve) => ws.once('close', (c: number) => resolve(c)));
    expect(code).toBe(4404);
  });

  it('a worker that dies ends only its own viewers, is started again and serves new ones; an admin kick reaches a worker viewer', async () => {
    const workers = gw.ctx.workers!;
    const pub = publish(gw.rtmpUrl('live/k'), { seconds: 30, size: '320x240', rate: 25, gop: 25 });
    try {
      await waitFor(() => gw.ctx.bus.get('live', 'k') !== undefined, 'the publish');
      const port = gw.addresses.http.port;
      const a = watchFlv(port, '/live/k.flv');
      const b = watchFlv(port, '/live/k.flv');
      await waitFor(() => a.state.videoTags > 5 && b.state.videoTags > 5, 'both viewers playing');
      const listed = await adminViewers();
      expect(listed).toHaveLength(2);
      expect(new Set(listed.map((v) => v.worker))).toEqual(new Set([0, 1]));

      // Kill the worker of the first-listed viewer: that viewer ends, the other keeps playing.
      const victim = listed[0]!.worker!;
      const pid = workers.pids()[victim]!;
      process.kill(pid, 'SIGKILL');
      await waitFor(() => a.state.ended !== b.state.ended, 'one viewer to end');
      const survivor = a.state.ended ? b : a;
      const before = survivor.state.videoTags;
      await waitFor(() => survivor.state.videoTags >= before + 25, 'the other viewer to keep playing');
      expect(survivor.state.ended).toBe(false);
      expect(survivor.state.maxGapMs).toBeLessThanOrEqual(80);
      await waitFor(() => gw.ctx.viewers.size === 1, 'the dead worker\'s viewer to leave the registry');
      expect(gw.ctx.bus.get('live', 'k')!.viewerCount).toBe(1); // its viewer slot is back

      // Started again: a new pid, and it takes new viewers.
      await waitFor(() => workers.alive === 2, 'the worker to be started again');
      expect(workers.pids()[victim]).not.toBe(pid);
      expect(workers.restarts).toBe(1);
      const metrics = await (await fetch(gw.httpUrl('/metrics'))).text();
      expect(metrics).toMatch(/^livegate_viewer_workers 2$/m);
      expect(metrics).toMatch(/^livegate_viewer_worker_restarts_total 1$/m);
      const c = watchFlv(port, '/live/k.flv');
      await waitFor(() => c.state.videoTags > 5, 'a new viewer playing');
      const now = await adminViewers();
      const cv = now.find((v) => v.worker === victim);
      expect(cv).toBeDefined(); // the restarted worker had no viewers: the new one went there

      // Admin kick of a viewer served by a worker.
      const kick = await fetch(gw.httpUrl(`/api/viewers/${cv!.id}`), { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(kick.status).toBe(204);
      await waitFor(() => c.state.ended, 'the kicked viewer to be disconnected');
      await waitFor(() => gw.ctx.viewers.size === 1, 'the kicked viewer to leave the registry');
      expect(survivor.state.ended).toBe(false);
      survivor.close();
      await waitFor(() => gw.ctx.viewers.size === 0, 'every viewer gone');
      a.close();
      b.close();
    } finally {
      pub.kill('SIGKILL');
    }
  });
});

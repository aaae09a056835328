/**
 * Issue 5 fuzz suite: hostile RTMP and HTTP input against a gateway that is serving a live
 * ffmpeg stream to an HTTP-FLV viewer. Every attack is bounded in count and time, on 127.0.0.1.
 * The viewer must see no gap (no jump between video timestamps of a GOP or more), and the
 * gateway's heap and open file count must come back to where they were.
 */
import { randomBytes, randomInt } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeAmf0, MessageType } from '../packages/ingest/src/index.js';
import { describeWithTools } from './support/tools.js';
import { publish, type Running } from './support/ffmpeg.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';
import { chunk0, chunk0Wide, commandChunks, rawConnect, rawHandshaken, type RawConn } from './support/raw-rtmp.js';
import { watchFlv } from './support/flv-watch.js';
import { heapAfterGc, openFds, pool } from './support/leaks.js';

const GOP_MS = 1000; // ffmpeg below: 25 fps, a keyframe every 25 frames
const counts: Record<string, number> = {};
const count = (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n);

/** Send `bytes`, then close after `holdMs` (or when the server closes first). */
async function hit(port: number, bytes: Buffer, holdMs = 200): Promise<void> {
  const c = await rawConnect(port);
  c.sock.on('data', () => {});
  c.write(bytes);
  await Promise.race([c.closed, new Promise((r) => setTimeout(r, holdMs))]);
  c.sock.destroy();
}

/** ffmpeg publishing `seconds` of video through a proxy that records what it sends: a real publish, as bytes. */
async function capturePublish(gw: TestGateway): Promise<Buffer> {
  const parts: Buffer[] = [];
  const proxy = net.createServer((client) => {
    const up = net.connect(gw.addresses.rtmp.port, '127.0.0.1');
    client.on('data', (d: Buffer) => {
      parts.push(Buffer.from(d));
      up.write(d);
    });
    up.on('data', (d: Buffer) => client.write(d));
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
    client.on('error', () => {});
    up.on('error', () => {});
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as net.AddressInfo).port;
  const r = await publish(`rtmp://127.0.0.1:${port}/live/cap`, { seconds: 2, size: '160x120', rate: 25, gop: 25, realtime: false, audio: true }).done;
  await new Promise((res) => proxy.close(res));
  expect(r.code).toBe(0);
  return Buffer.concat(parts);
}

/** The AMF0 string "cap" (the captured stream name in releaseStream, FCPublish and publish). */
const CAP_NAME = Buffer.from([0x02, 0x00, 0x03, 0x63, 0x61, 0x70]);

/**
 * A copy of `b` under a fresh random stream name (so mutants do not just collide on one key)
 * with random bytes changed at or after `from`, and maybe truncated.
 */
function mutate(b: Buffer, from: number): Buffer {
  const out = Buffer.from(b);
  const name = Buffer.from(Array.from({ length: 3 }, () => 0x61 + randomInt(0, 26)));
  for (let at = out.indexOf(CAP_NAME); at >= 0; at = out.indexOf(CAP_NAME, at + 1)) name.copy(out, at + 3);
  const n = randomInt(1, 24);
  for (let i = 0; i < n; i++) out[randomInt(from, out.length)] = randomInt(0, 256);
  return randomInt(0, 3) === 0 ? out.subarray(0, randomInt(from, out.length)) : out;
}

/** An AMF0 object nested `depth` deep: `{a:{a:{...}}}` as raw markers (never ends). */
function nestedObjects(depth: number): Buffer {
  const one = Buffer.from([0x00, 0x01, 0x61, 0x03]); // key "a", object marker
  return Buffer.concat([Buffer.from([0x02, 0x00, 0x07]), Buffer.from('connect'), Buffer.from([0x00, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x03]), Buffer.alloc(one.length * depth, one)]);
}

describeWithTools(['ffmpeg'], 'hostile input while a viewer watches live', () => {
  let gw: TestGateway;
  let pub: Running;
  beforeAll(async () => {
    gw = await startTestGateway([
      '--rtmp-handshake-timeout-ms', '1000',
      '--rtmp-idle-timeout-ms', '2000',
      '--rtmp-max-connections-per-ip', '400',
      '--http-headers-timeout-ms', '1000',
      '--http-request-timeout-ms', '2000',
      '--http-keep-alive-timeout-ms', '1000',
    ]);
  });
  afterAll(async () => {
    pub?.kill('SIGKILL');
    await gw?.close();
  });

  it('survives random bytes, truncated handshakes, mutated publishes, AMF bombs, bad chunk sizes, 10,000 chunk streams, unsent 16 MiB messages, slowloris and a chat flood', async () => {
    const port = gw.addresses.rtmp.port;
    const capture = await capturePublish(gw);
    expect(capture.length).toBeGreaterThan(20_000);
    await waitFor(() => gw.ctx.bus.get('live', 'cap') === undefined, 'the capture publish to end');

    pub = publish(gw.rtmpUrl('live/main'), { seconds: 120, size: '160x120', rate: 25, gop: 25, audio: true });
    await waitFor(() => gw.ctx.bus.get('live', 'main') !== undefined, 'the live publish');
    const viewer = watchFlv(gw.addresses.http.port, '/live/main.flv');
    await waitFor(() => viewer.state.videoTags > 50, 'the viewer receiving', 20_000);
    await new Promise((r) => setTimeout(r, 500));
    const heap0 = heapAfterGc();
    const fds0 = openFds();
    const t0 = Date.now();

    // 1. random bytes, some behind a valid C0 byte
    await pool(300, 25, async (i) => {
      const b = randomBytes(randomInt(1, 4096));
      if (i % 2 === 0) b[0] = 3;
      await hit(port, b, 100);
      count('random bytes');
    });
    // 2. truncated handshakes: C0 + part of C1, some closed at once, some left to time out
    await pool(120, 30, async (i) => {
      const b = Buffer.concat([Buffer.from([3]), randomBytes(randomInt(0, 1536 * 2))]);
      await hit(port, b, i % 6 === 0 ? 3000 : 50);
      count('truncated handshakes');
    });
    // 3. the captured ffmpeg publish, mutated after the handshake (and sometimes truncated)
    await pool(300, 20, async () => {
      await hit(port, mutate(capture, 1 + 1536 * 2), 150);
      count('mutated publishes');
    });
    // 4. AMF bombs and chunk abuse, each after a real handshake
    const afterHandshake = async (name: string, payload: Buffer | ((c: RawConn) => void), holdMs = 500) => {
      const c = await rawHandshaken(port);
      if (typeof payload === 'function') payload(c);
      else c.write(payload);
      await Promise.race([c.closed, new Promise((r) => setTimeout(r, holdMs))]);
      c.sock.destroy();
      count(name);
    };
    const amf = (body: Buffer) => chunk0(3, MessageType.CommandAmf0, body.length, body);
    const connectPrefix = encodeAmf0('connect', 1);
    for (let i = 0; i < 5; i++) {
      await afterHandshake('AMF bombs', amf(nestedObjects(4000))); // deep nesting in one 16 KB message
      await afterHandshake('AMF bombs', amf(Buffer.concat([connectPrefix, Buffer.from([0x0c, 0xff, 0xff, 0xff, 0xf0]), Buffer.from('tiny')]))); // long string declaring 4 GiB
      await afterHandshake('AMF bombs', amf(Buffer.concat([connectPrefix, Buffer.from([0x08, 0x7f, 0xff, 0xff, 0xff]), Buffer.from([0, 0, 9])]))); // ECMA array of 2^31 entries
      await afterHandshake('AMF bombs', commandChunks('connect', 1, { app: 'live', tcUrl: 'x'.repeat(60_000) }, 'y'.repeat(60_000))); // huge strings
      await afterHandshake('AMF bombs', amf(Buffer.concat([connectPrefix, Buffer.alloc(3000, 0x0a), Buffer.from([0xff, 0xff, 0xff, 0xff])]))); // strict arrays nested, huge count
    }
    for (const size of [0, 2 ** 31, 0xffffffff, 1]) {
      const p = Buffer.alloc(4);
      p.writeUInt32BE(size >>> 0);
      await afterHandshake('chunk size 0 / 2^31 / 2^32-1 / 1', Buffer.concat([chunk0(2, MessageType.SetChunkSize, 4, p), commandChunks('connect', 1, { app: 'live' })]));
    }
    await afterHandshake('10,000 chunk stream ids', (c) => {
      const parts: Buffer[] = [];
      for (let csid = 3; csid < 10_003; csid++) parts.push(csid < 64 ? chunk0(csid, MessageType.Video, 1000, Buffer.alloc(16)) : chunk0Wide(csid, MessageType.Video, 1000, Buffer.alloc(16)));
      c.write(Buffer.concat(parts));
    });
    await pool(40, 40, async () => {
      // 16 MiB - 1 announced, 64 KiB sent (in 128-byte chunks with type-3 continuations), then silence until the idle timeout
      await afterHandshake('16 MiB announced, never sent', (c) => {
        const parts: Buffer[] = [chunk0(4, MessageType.Video, 0xffffff, Buffer.alloc(128))];
        for (let i = 0; i < 511; i++) parts.push(Buffer.from([0xc4]), Buffer.alloc(128));
        c.write(Buffer.concat(parts));
      }, 4000);
    });
    // 5. slowloris: a header byte every 200 ms, never finishing
    await pool(40, 40, async () => {
      const s = net.connect(gw.addresses.http.port, '127.0.0.1');
      s.on('error', () => {});
      const text = 'GET /live/main.flv HTTP/1.1\r\nHost: x\r\nX-Pad: ' + 'z'.repeat(200);
      let i = 0;
      const drip = setInterval(() => s.write(text[i++ % text.length]!), 200);
      await Promise.race([new Promise((r) => s.once('close', r)), new Promise((r) => setTimeout(r, 6000))]);
      clearInterval(drip);
      expect(s.destroyed).toBe(true); // the server cut it
      s.destroy();
      count('slowloris HTTP clients');
    });
    // 6. chat flood: 5 clients, 400 messages each as fast as they can
    await pool(5, 5, async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${gw.addresses.http.port}/live/main/chat`);
      await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
      for (let i = 0; i < 400; i++) ws.send(JSON.stringify({ type: 'chat', nick: 'flood', text: `spam ${i} ${'x'.repeat(100)}` }));
      await new Promise((r) => setTimeout(r, 300));
      ws.terminate();
      count('chat flood messages', 400);
    });

    // The gateway is back to one publisher and one viewer; heap and fds back to where they were.
    await waitFor(() => [...gw.rtmp.sessions()].length === 1 && gw.ctx.viewers.size === 1, 'attack connections gone', 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    const heap1 = heapAfterGc();
    const fds1 = openFds();
    const attackMs = Date.now() - t0;
    console.log(JSON.stringify({ cases: counts, attackMs, heapMiB: [heap0 / 2 ** 20, heap1 / 2 ** 20].map((x) => Math.round(x * 10) / 10), fds: [fds0, fds1], viewer: viewer.state, refused: gw.rtmp.refused, errors: { handshake: gw.rtmp.counters.handshakeErrors, protocol: gw.rtmp.counters.protocolErrors } }));
    expect(fds1).toBeLessThanOrEqual(fds0 + 2);
    expect(heap1 - heap0).toBeLessThan(24 * 2 ** 20);
    expect(gw.rtmp.counters.protocolErrors + gw.rtmp.counters.handshakeErrors).toBeGreaterThan(200); // the garbage was refused, not swallowed
    // The live viewer never saw a gap: consecutive video timestamps less than a GOP apart, and still receiving.
    expect(viewer.state.ended).toBe(false);
    expect(viewer.state.maxGapMs).toBeLessThan(GOP_MS);
    expect(Date.now() - viewer.state.lastAt).toBeLessThan(500);
    expect(viewer.state.lastTs - viewer.state.firstTs).toBeGreaterThan(attackMs - 2 * GOP_MS);
    viewer.close();
  });
});

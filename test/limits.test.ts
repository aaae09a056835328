/**
 * Issue 5 limits: each one tripped, refused (or cut) and counted in
 * livegate_connections_refused_total{reason}. livegate's own RtmpClient and raw sockets.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RtmpClient } from '../packages/ingest/src/index.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';
import { rawConnect } from './support/raw-rtmp.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function refused(g: TestGateway): Promise<Record<string, number>> {
  const text = await (await fetch(g.httpUrl('/metrics'))).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^livegate_connections_refused_total\{reason="([a-z_]+)"\} (\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

async function publisher(g: TestGateway, key: string): Promise<RtmpClient> {
  const [app, stream] = key.split('/') as [string, string];
  const c = await RtmpClient.connect(g.rtmpUrl(app));
  await c.publish(stream);
  c.sendVideo(Buffer.from([0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65]), 0); // one keyframe: the tracks are known, FLV viewers start
  return c;
}

/** A raw HTTP GET kept open; resolves with the status line or '' when closed without one. */
function httpGet(port: number, path: string): Promise<{ status: string; sock: net.Socket }> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
    let buf = '';
    sock.on('error', () => {});
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n')) resolve({ status: buf.slice(0, buf.indexOf('\r\n')), sock });
    });
    sock.on('close', () => resolve({ status: '', sock }));
  });
}

describe('limits, each tripped and counted', () => {
  it('rtmp.maxConnections: the next RTMP connection is closed on accept (rtmp_limit)', async () => {
    gw = await startTestGateway(['--rtmp-max-connections', '2']);
    const a = await rawConnect(gw.addresses.rtmp.port);
    const b = await rawConnect(gw.addresses.rtmp.port);
    await waitFor(() => [...gw!.rtmp.sessions()].length === 2, 'two sessions');
    const c = await rawConnect(gw.addresses.rtmp.port);
    await c.closed;
    expect((await refused(gw)).rtmp_limit).toBe(1);
    a.sock.destroy();
    b.sock.destroy();
  });

  it('rtmp.maxConnectionsPerIp: a fourth connection from 127.0.0.1 is closed (rtmp_per_ip); a slot frees when one leaves', async () => {
    gw = await startTestGateway(['--rtmp-max-connections-per-ip', '3']);
    const open = await Promise.all([1, 2, 3].map(() => rawConnect(gw!.addresses.rtmp.port)));
    await waitFor(() => gw!.rtmp.connectionsFrom('127.0.0.1') === 3, 'three sessions');
    const extra = await rawConnect(gw.addresses.rtmp.port);
    await extra.closed;
    expect((await refused(gw)).rtmp_per_ip).toBe(1);
    open[0]!.sock.destroy();
    await waitFor(() => gw!.rtmp.connectionsFrom('127.0.0.1') === 2, 'a slot freed');
    const again = await RtmpClient.connect(gw.rtmpUrl('live'));
    await again.close();
    for (const o of open) o.sock.destroy();
    await waitFor(() => gw!.rtmp.peerAddresses === 0, 'no address left');
  });

  it('rtmp.handshakeTimeoutMs: a client that never finishes the handshake is cut (handshake_timeout)', async () => {
    gw = await startTestGateway(['--rtmp-handshake-timeout-ms', '300']);
    const c = await rawConnect(gw.addresses.rtmp.port);
    c.write(Buffer.from([3, 1, 2, 3])); // C0 and 3 bytes of C1, then nothing
    const t0 = Date.now();
    await c.closed;
    expect(Date.now() - t0).toBeLessThan(2500);
    expect((await refused(gw)).handshake_timeout).toBe(1);
  });

  it('rtmp.idleTimeoutMs: a connection doing nothing and a publisher sending no media are cut (idle_timeout)', async () => {
    gw = await startTestGateway(['--rtmp-idle-timeout-ms', '500']);
    const idle = await RtmpClient.connect(gw.rtmpUrl('live'));
    const silent = await publisher(gw, 'live/quiet');
    const closed = (c: RtmpClient) => new Promise((r) => c.once('close', r));
    await Promise.all([closed(idle), closed(silent)]);
    expect(gw.ctx.bus.get('live', 'quiet')).toBeUndefined();
    expect((await refused(gw)).idle_timeout).toBe(2);
  });

  it('streams.maxStreams: a publisher past the limit gets NetStream.Publish.BadName (max_publishers)', async () => {
    gw = await startTestGateway(['--streams-max-streams', '1']);
    const first = await publisher(gw, 'live/one');
    await expect(publisher(gw, 'live/two')).rejects.toThrow(/NetStream\.Publish\.BadName/);
    expect((await refused(gw)).max_publishers).toBe(1);
    await first.close();
  });

  it('viewers.maxPerStream: HTTP-FLV gets 503, WS-FLV 4503, RTMP NetStream.Play.Failed (viewer_limit)', async () => {
    gw = await startTestGateway(['--viewers-max-per-stream', '1']); // HLS and chat captions subscribe too, but are not viewers
    const pub = await publisher(gw, 'live/full');
    const first = await httpGet(gw.addresses.http.port, '/live/full.flv');
    expect(first.status).toBe('HTTP/1.1 200 OK');
    const second = await httpGet(gw.addresses.http.port, '/live/full.flv');
    expect(second.status).toBe('HTTP/1.1 503 Service Unavailable');
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`ws://127.0.0.1:${gw.addresses.http.port}/live/full.flv`);
    const code = await new Promise<number>((r) => ws.on('close', (c) => r(c)));
    expect(code).toBe(4503);
    const player = await RtmpClient.connect(gw.rtmpUrl('live'));
    await expect(player.play('full')).rejects.toThrow(/NetStream\.Play\.Failed/);
    expect((await refused(gw)).viewer_limit).toBe(3);
    first.sock.destroy();
    second.sock.destroy();
    await pub.close();
  });

  it('viewers.maxPerIp: a third HTTP-FLV viewer from one address gets 503 (http_per_ip)', async () => {
    gw = await startTestGateway(['--viewers-max-per-ip', '2']);
    const pub = await publisher(gw, 'live/ip');
    const a = await httpGet(gw.addresses.http.port, '/live/ip.flv');
    const b = await httpGet(gw.addresses.http.port, '/live/ip.flv');
    const c = await httpGet(gw.addresses.http.port, '/live/ip.flv');
    expect([a.status, b.status, c.status]).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 503 Service Unavailable']);
    expect((await refused(gw)).http_per_ip).toBe(1);
    a.sock.destroy();
    await waitFor(() => gw!.ctx.viewers.countFrom('127.0.0.1') === 1, 'one viewer left');
    const d = await httpGet(gw.addresses.http.port, '/live/ip.flv');
    expect(d.status).toBe('HTTP/1.1 200 OK');
    b.sock.destroy();
    d.sock.destroy();
    await waitFor(() => gw!.ctx.viewers.addresses === 0, 'no viewer address left');
    await pub.close();
  });

  it('http.maxConnections: the next HTTP connection is dropped (http_limit)', async () => {
    gw = await startTestGateway(['--http-max-connections', '2']);
    const held = await Promise.all([1, 2].map(() => new Promise<net.Socket>((r) => { const s = net.connect(gw!.addresses.http.port, '127.0.0.1', () => r(s)); })));
    await new Promise((r) => setTimeout(r, 100));
    const dropped = await httpGet(gw.addresses.http.port, '/healthz');
    expect(dropped.status).toBe('');
    for (const s of held) s.destroy();
    await waitFor(async () => (await fetch(gw!.httpUrl('/healthz')).catch(() => undefined))?.ok === true, 'a free slot');
    expect((await refused(gw)).http_limit).toBeGreaterThanOrEqual(1);
  });

  it('http.headersTimeoutMs: a slowloris client sending a header byte at a time is cut; a live HTTP-FLV viewer outlives every HTTP timeout', async () => {
    gw = await startTestGateway(['--http-headers-timeout-ms', '1000', '--http-request-timeout-ms', '1500', '--http-keep-alive-timeout-ms', '500', '--hls-enabled', 'false']);
    const pub = await publisher(gw, 'live/long');
    let ts = 0;
    const tick = setInterval(() => pub.sendVideo(Buffer.from([0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65]), (ts += 40)), 40);
    const viewer = await httpGet(gw.addresses.http.port, '/live/long.flv');
    expect(viewer.status).toBe('HTTP/1.1 200 OK');
    let viewerBytes = 0;
    viewer.sock.on('data', (d: Buffer) => (viewerBytes += d.length));
    const slow = net.connect(gw.addresses.http.port, '127.0.0.1');
    slow.on('error', () => {});
    const header = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(100);
    let i = 0;
    const drip = setInterval(() => slow.write(header[i++ % header.length]!), 100);
    const t0 = Date.now();
    await new Promise((r) => slow.once('close', r));
    clearInterval(drip);
    expect(Date.now() - t0).toBeLessThan(3500);
    await new Promise((r) => setTimeout(r, 1500)); // past requestTimeout and keepAliveTimeout
    const before = viewerBytes;
    await new Promise((r) => setTimeout(r, 500));
    expect(viewer.sock.destroyed).toBe(false);
    expect(viewerBytes).toBeGreaterThan(before);
    clearInterval(tick);
    viewer.sock.destroy();
    await pub.close();
  });
});

/**
 * Issue 5 access control with real ffmpeg/ffprobe clients: stream keys, signed URLs (publish,
 * RTMP / HTTP-FLV / HLS play), HTTP callbacks against a real HTTP server, the admin API, and
 * that no secret or signed query reaches the logs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signStream } from '../packages/http-edge/src/access/index.js';
import { RtmpClient } from '../packages/ingest/src/index.js';
import { describeWithTools } from './support/tools.js';
import { probe, publish, run, start } from './support/ffmpeg.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';

const SIGN_SECRET = 'sign-secret-0123456789';
const APP_KEY = 'app-key-0123456789';
const ADMIN = 'admin-token-0123456789';
const nowS = () => Math.floor(Date.now() / 1000);

/** Every log line of every gateway in this file, to check that no secret was logged. */
const logLines: string[] = [];
const logTo = { write: (line: string) => void logLines.push(line) };

/** ffmpeg publishing for `seconds`: resolves when it has gone live (or rejects with its stderr when it ended first). */
async function goLive(gw: TestGateway, url: string, app: string, stream: string, seconds = 30) {
  const pub = publish(url, { seconds, size: '160x120', rate: 25, gop: 25, audio: false });
  let ended = false;
  void pub.done.then(() => (ended = true));
  await waitFor(() => ended || gw.ctx.bus.get(app, stream) !== undefined, `${app}/${stream} live`);
  if (ended) throw new Error(`ffmpeg ended before going live: ${(await pub.done).stderr}`);
  return pub;
}

/** ffmpeg publishing to `url` must be refused: non-zero exit, the refusal in its stderr, never live. */
async function expectPublishRefused(gw: TestGateway, url: string, app: string, stream: string, why: RegExp) {
  const r = await publish(url, { seconds: 10, size: '160x120', audio: false }).done;
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/NetStream\.Publish\.Unauthorized|Server error/);
  expect(r.stderr).toMatch(why);
  expect(gw.ctx.bus.get(app, stream)).toBeUndefined();
}

async function refusedMetric(gw: TestGateway, reason: string): Promise<number> {
  const text = await (await fetch(gw.httpUrl('/metrics'))).text();
  const m = new RegExp(`^livegate_connections_refused_total\\{reason="${reason}"\\} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describeWithTools(['ffmpeg', 'ffprobe'], 'access control with real ffmpeg clients', () => {
  afterAll(() => {
    // No secret, signature or admin token in any log line of this file's gateways.
    const all = logLines.join('');
    expect(logLines.length).toBeGreaterThan(50);
    for (const secret of [SIGN_SECRET, APP_KEY, ADMIN, 'sign=', 'key=']) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/\d{10}-[0-9a-f]{64}/);
  });

  describe('stream keys', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(['--access-stream-keys', 'live/allowed', '--access-app-secrets', `studio:${APP_KEY}`], { logTo });
    });
    afterAll(() => gw?.close());

    it('an allowed app/stream key publishes; another key is refused with NetStream.Publish.Unauthorized', async () => {
      const pub = await goLive(gw, gw.rtmpUrl('live/allowed'), 'live', 'allowed', 2);
      expect((await pub.done).code).toBe(0);
      await expectPublishRefused(gw, gw.rtmpUrl('live/other'), 'live', 'other', /stream key not allowed/);
      expect(await refusedMetric(gw, 'unauthorized')).toBe(1);
    });

    it('an app secret as ?key= publishes; a wrong or missing key is refused', async () => {
      const pub = await goLive(gw, gw.rtmpUrl(`studio/cam?key=${APP_KEY}`), 'studio', 'cam', 2);
      expect((await pub.done).code).toBe(0);
      await expectPublishRefused(gw, gw.rtmpUrl('studio/cam?key=wrong-key-0000000'), 'studio', 'cam', /bad or missing app key/);
      await expectPublishRefused(gw, gw.rtmpUrl('studio/cam'), 'studio', 'cam', /bad or missing app key/);
    });
  });

  describe('signed URLs', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(['--access-sign-secret', SIGN_SECRET, '--access-sign-publish', 'true', '--access-sign-play', 'true', '--hls-segment-duration', '1'], { logTo });
    });
    afterAll(() => gw?.close());

    it('publish: expired, forged and missing signatures are refused (a valid one goes live in the next test)', async () => {
      await expectPublishRefused(gw, gw.rtmpUrl(`live/s1?sign=${signStream(SIGN_SECRET, 'live', 's1', nowS() - 5)}`), 'live', 's1', /signature expired/);
      await expectPublishRefused(gw, gw.rtmpUrl(`live/s1?sign=${signStream('forged-secret-000000', 'live', 's1', nowS() + 60)}`), 'live', 's1', /signature invalid/);
      await expectPublishRefused(gw, gw.rtmpUrl('live/s1'), 'live', 's1', /signature missing/);
    });

    it('play over HTTP-FLV, RTMP and HLS: signed is served (HLS segments carry the sign), unsigned and forged are refused', async () => {
      const pubSign = signStream(SIGN_SECRET, 'live', 'sp', nowS() + 120);
      const pub = await goLive(gw, gw.rtmpUrl(`live/sp?sign=${pubSign}`), 'live', 'sp', 30);
      try {
        const sign = signStream(SIGN_SECRET, 'live', 'sp', nowS() + 60);
        // HTTP-FLV
        const flv = await probe(gw.httpUrl(`/live/sp.flv?sign=${sign}`));
        expect(flv.streams.map((s) => s.codec_name)).toEqual(['h264']);
        expect((await fetch(gw.httpUrl('/live/sp.flv'))).status).toBe(403);
        const forged = await fetch(gw.httpUrl(`/live/sp.flv?sign=${signStream(SIGN_SECRET, 'live', 'other', nowS() + 60)}`));
        expect(forged.status).toBe(403);
        expect(await forged.json()).toEqual({ error: 'LG_FORBIDDEN', message: 'signature invalid' });
        const ffUnsigned = await run('ffprobe', ['-v', 'error', gw.httpUrl('/live/sp.flv')], 20_000);
        expect(ffUnsigned.code).not.toBe(0);
        expect(ffUnsigned.stderr).toMatch(/403/);
        // RTMP play (ffprobe as the RTMP player)
        const rtmp = await probe(gw.rtmpUrl(`live/sp?sign=${sign}`));
        expect(rtmp.streams.map((s) => s.codec_name)).toEqual(['h264']);
        const rtmpUnsigned = await run('ffprobe', ['-v', 'error', gw.rtmpUrl('live/sp')], 20_000);
        expect(rtmpUnsigned.code).not.toBe(0);
        // HLS: the playlist's segment URIs carry the same sign; ffmpeg reads the segments through them.
        const playlistUrl = gw.httpUrl(`/live/sp/index.m3u8?sign=${sign}`);
        await waitFor(async () => (await fetch(playlistUrl)).status === 200 && (await (await fetch(playlistUrl)).text()).split('\n').filter((l) => l.endsWith(`?sign=${sign}`)).length >= 2, 'two signed segments');
        const text = await (await fetch(playlistUrl)).text();
        const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
        expect(uris.every((u) => u.endsWith(`?sign=${sign}`))).toBe(true);
        expect((await fetch(gw.httpUrl(`/live/sp/${uris[0]}`))).status).toBe(200);
        expect((await fetch(gw.httpUrl(`/live/sp/${uris[0]!.split('?')[0]}`))).status).toBe(403);
        expect((await fetch(gw.httpUrl('/live/sp/index.m3u8'))).status).toBe(403);
        const hls = await run('ffmpeg', ['-v', 'error', '-i', playlistUrl, '-t', '1', '-f', 'null', '-'], 30_000);
        expect(hls.stderr).toBe('');
        expect(hls.code).toBe(0);
        expect(await refusedMetric(gw, 'unauthorized')).toBeGreaterThanOrEqual(7);
      } finally {
        pub.kill('SIGKILL');
      }
    });
  });

  describe('HTTP callbacks (a real HTTP server)', () => {
    let gw: TestGateway;
    let hook: http.Server;
    const calls: { path: string; body: Record<string, unknown> }[] = [];
    beforeAll(async () => {
      hook = http.createServer((req, res) => {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          const parsed = JSON.parse(body) as Record<string, unknown>;
          calls.push({ path: req.url ?? '', body: parsed });
          if (parsed.stream === 'slow') return void setTimeout(() => res.writeHead(200).end(), 2000);
          res.writeHead(parsed.stream === 'denied' || new URLSearchParams(String(parsed.query)).get('token') === 'bad' ? 403 : 200).end();
        });
      });
      await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
      const base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
      gw = await startTestGateway(
        ['--access-callbacks-on-publish', `${base}/on_publish`, '--access-callbacks-on-unpublish', `${base}/on_unpublish`, '--access-callbacks-on-play', `${base}/on_play`, '--access-callbacks-on-stop', `${base}/on_stop`, '--access-callbacks-timeout-ms', '500'],
        { logTo },
      );
    });
    afterAll(async () => {
      await gw?.close();
      hook.closeAllConnections();
      await new Promise((r) => hook.close(r));
    });

    it('publish allowed by a 200 (then unpublish posted); refused by a 403 and by a timeout', async () => {
      const pub = await goLive(gw, gw.rtmpUrl('live/ok?token=good'), 'live', 'ok', 1);
      expect((await pub.done).code).toBe(0);
      await waitFor(() => calls.some((c) => c.path === '/on_unpublish'), 'the unpublish callback');
      const onPublish = calls.find((c) => c.path === '/on_publish')!.body;
      expect(onPublish).toMatchObject({ action: 'publish', app: 'live', stream: 'ok', query: 'token=good', protocol: 'rtmp' });
      expect(onPublish.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(onPublish.clientId).toMatch(/^rtmp-/);
      expect(calls.find((c) => c.path === '/on_unpublish')!.body).toMatchObject({ action: 'unpublish', app: 'live', stream: 'ok', clientId: onPublish.clientId });
      await expectPublishRefused(gw, gw.rtmpUrl('live/denied'), 'live', 'denied', /on_publish callback answered 403/);
      await expectPublishRefused(gw, gw.rtmpUrl('live/slow'), 'live', 'slow', /on_publish callback timed out after 500 ms/);
    });

    it('play over HTTP-FLV and RTMP allowed by the callback (stop posted), refused by a 403', async () => {
      const pub = await goLive(gw, gw.rtmpUrl('live/cb'), 'live', 'cb', 30);
      try {
        const flv = await probe(gw.httpUrl('/live/cb.flv?token=good'));
        expect(flv.streams.length).toBe(1);
        const rtmp = await probe(gw.rtmpUrl('live/cb?token=good'));
        expect(rtmp.streams.length).toBe(1);
        expect((await fetch(gw.httpUrl('/live/cb.flv?token=bad'))).status).toBe(403);
        const refused = await run('ffprobe', ['-v', 'error', gw.rtmpUrl('live/cb?token=bad')], 20_000);
        expect(refused.code).not.toBe(0);
        await waitFor(() => calls.filter((c) => c.path === '/on_stop').length >= 2, 'two stop callbacks');
        const plays = calls.filter((c) => c.path === '/on_play').map((c) => c.body);
        expect(plays.map((p) => [p.protocol, p.query])).toEqual([['http-flv', 'token=good'], ['rtmp', 'token=good'], ['http-flv', 'token=bad'], ['rtmp', 'token=bad']]);
        const stops = calls.filter((c) => c.path === '/on_stop').map((c) => c.body);
        expect(stops.map((s) => s.clientId).sort()).toEqual([plays[0]!.clientId, plays[1]!.clientId].sort());
        expect(stops.every((s) => s.action === 'stop')).toBe(true);
      } finally {
        pub.kill('SIGKILL');
      }
    });
  });

  describe('admin API', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(['--admin-token', ADMIN], { logTo });
    });
    afterAll(() => gw?.close());
    const auth = { authorization: `Bearer ${ADMIN}` };

    it('is disabled (404) without admin.token', async () => {
      const plain = await startTestGateway([], { logTo });
      try {
        for (const [method, path] of [['GET', '/api/publishers'], ['GET', '/api/viewers'], ['DELETE', '/api/streams/live/x'], ['DELETE', '/api/viewers/flv-1']] as const) {
          const r = await fetch(plain.httpUrl(path), { method, headers: auth });
          expect(r.status, `${method} ${path}`).toBe(404);
        }
      } finally {
        await plain.close();
      }
    });

    it('needs the bearer token; lists publishers and viewers with addresses and bytes; kicks a viewer and a publisher', async () => {
      for (const headers of [{}, { authorization: 'Bearer wrong-token-000000000' }, { authorization: ADMIN }] as Record<string, string>[]) {
        const r = await fetch(gw.httpUrl('/api/publishers'), { headers });
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
      const pub = await goLive(gw, gw.rtmpUrl('live/adm'), 'live', 'adm', 60);
      const flvViewer = start('ffmpeg', ['-v', 'error', '-i', gw.httpUrl('/live/adm.flv'), '-f', 'null', '-'], 60_000);
      const rtmpViewer = await RtmpClient.connect(gw.rtmpUrl('live'));
      await rtmpViewer.play('adm');
      const rtmpEnded = new Promise((r) => rtmpViewer.once('end', r));
      await waitFor(() => gw.ctx.viewers.size === 1, 'the HTTP-FLV viewer');
      await new Promise((r) => setTimeout(r, 500));

      const pubs = (await (await fetch(gw.httpUrl('/api/publishers'), { headers: auth })).json()) as { publishers: { id: string; app: string; stream: string; address: string; bytesIn: number }[] };
      expect(pubs.publishers).toHaveLength(1);
      expect(pubs.publishers[0]).toMatchObject({ app: 'live', stream: 'adm', protocol: 'rtmp' });
      expect(pubs.publishers[0]!.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(pubs.publishers[0]!.bytesIn).toBeGreaterThan(0);
      const vs = (await (await fetch(gw.httpUrl('/api/viewers'), { headers: auth })).json()) as { viewers: { id: string; protocol: string; stream: string; address: string; bytesOut: number }[] };
      expect(vs.viewers.map((v) => v.protocol).sort()).toEqual(['http-flv', 'rtmp']);
      for (const v of vs.viewers) {
        expect(v.stream).toBe('live/adm');
        expect(v.address).toMatch(/^127\.0\.0\.1/);
        expect(v.bytesOut).toBeGreaterThan(0);
      }

      // kick the HTTP-FLV viewer: its ffmpeg sees the end of the stream and exits
      const flvId = vs.viewers.find((v) => v.protocol === 'http-flv')!.id;
      expect((await fetch(gw.httpUrl(`/api/viewers/${flvId}`), { method: 'DELETE', headers: auth })).status).toBe(204);
      expect((await flvViewer.done).code).toBe(0);
      expect(gw.ctx.viewers.size).toBe(0);
      // kick the RTMP viewer
      const rtmpId = vs.viewers.find((v) => v.protocol === 'rtmp')!.id;
      expect((await fetch(gw.httpUrl(`/api/viewers/${rtmpId}`), { method: 'DELETE', headers: auth })).status).toBe(204);
      await rtmpEnded;
      expect((await fetch(gw.httpUrl(`/api/viewers/${rtmpId}`), { method: 'DELETE', headers: auth })).status).toBe(404);
      // kick the publisher: ffmpeg's connection is closed, the stream is gone
      expect((await fetch(gw.httpUrl('/api/streams/live/adm'), { method: 'DELETE', headers: auth })).status).toBe(204);
      expect(gw.ctx.bus.get('live', 'adm')).toBeUndefined();
      const r = await pub.done;
      expect(r.code).not.toBe(0);
      expect((await fetch(gw.httpUrl('/api/streams/live/adm'), { method: 'DELETE', headers: auth })).status).toBe(404);
      await rtmpViewer.close();
    });
  });
});

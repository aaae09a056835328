/**
 * Glass-to-glass latency in headless Chromium. The harness paints the wall clock into every frame
 * (Date.now() mod 2^32 in ms, as 32 black/white blocks with their complement below as a check),
 * ffmpeg encodes it as it arrives (libx264 ultrafast/zerolatency, 30 fps, keyframe every 1 s) and
 * publishes it over RTMP, and the page reads the blocks back from each frame the browser presents
 * (requestVideoFrameCallback -> canvas) and subtracts them from its own clock at presentation:
 * capture -> encode -> publish -> server -> player -> decode -> display. Same machine, same clock.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STARTERS } from './servers.mjs';
import { sleep } from './procs.mjs';

const W = 640;
const H = 360;
const FPS = 30;
const BITS = 32;
const BLOCK_W = W / BITS; // 20 px per bit
const ROW_H = 40; // value in rows 0..39, complement in 40..79
const FLVJS = join(ROOT, 'node_modules/flv.js/dist/flv.min.js');
const PLAYER_BUILT = join(ROOT, 'packages/web-player/dist/static/app.js');
const CHROMIUM = '/usr/bin/chromium';

/** Why the glass-to-glass scenario cannot run here ('' when it can). */
export function glassAvailability() {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} missing (apt-get install chromium)`;
  if (!existsSync(FLVJS)) return `${FLVJS} missing (npm ci)`;
  if (!existsSync(PLAYER_BUILT)) return `${PLAYER_BUILT} missing (npm run build)`;
  return '';
}

/** One yuv420p frame showing `value` (32 bits) as blocks; the rest mid-grey with a moving bar. */
function paint(frame, value, n) {
  const y = frame.subarray(0, W * H);
  y.fill(128);
  for (let i = 0; i < BITS; i++) {
    const bit = (value >>> (BITS - 1 - i)) & 1;
    for (let row = 0; row < 2 * ROW_H; row++) {
      const on = row < ROW_H ? bit : 1 - bit;
      y.fill(on ? 235 : 16, row * W + i * BLOCK_W, row * W + (i + 1) * BLOCK_W);
    }
  }
  const bar = (n * 8) % W; // motion, so the encoder has real work
  for (let row = 2 * ROW_H + 20; row < H; row++) y.fill(60, row * W + bar, row * W + Math.min(W, bar + 40));
  frame.fill(128, W * H); // U and V: no colour
}

/**
 * Paints and pipes frames in real time to ffmpeg, which publishes to `rtmpUrl`.
 * @returns {{ stop(): Promise<void>, frames(): number }}
 */
function startClockPublisher(rtmpUrl) {
  const ff = spawn('ffmpeg', [
    '-nostdin', '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${W}x${H}`, '-r', String(FPS), '-i', 'pipe:0',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(FPS), '-pix_fmt', 'yuv420p', '-b:v', '1500k',
    '-an', '-f', 'flv', rtmpUrl,
  ], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  ff.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
  ff.stdin.on('error', () => {});
  const frame = Buffer.alloc((W * H * 3) / 2);
  let n = 0;
  const t0 = performance.now();
  let timer;
  const tick = () => {
    // paint at the frame's due time; a late tick paints now (the clock is what it is)
    paint(frame, Date.now() % 2 ** 32, n);
    ff.stdin.write(frame);
    n++;
    timer = setTimeout(tick, Math.max(0, t0 + (n * 1000) / FPS - performance.now()));
  };
  tick();
  return {
    frames: () => n,
    output: () => err,
    async stop() {
      clearTimeout(timer);
      ff.stdin.end();
      const exited = new Promise((r) => ff.once('exit', r));
      await Promise.race([exited, sleep(3000)]);
      if (ff.exitCode === null) ff.kill('SIGKILL');
    },
  };
}

/** Runs in the page: reads the clock from each presented frame for `ms`; returns latencies and unreadable frames. */
function measureInPage({ ms, bits, blockW, rowH }) {
  return new Promise((resolve) => {
    const video = document.querySelector('video');
    const canvas = document.createElement('canvas');
    canvas.width = bits * blockW;
    canvas.height = 2 * rowH;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const lat = [];
    const ahead = [];
    let unreadable = 0;
    const end = performance.now() + ms;
    const read = (shownAtWall) => {
      const sx = video.videoWidth / canvas.width;
      ctx.drawImage(video, 0, 0, canvas.width * sx, canvas.height * sx, 0, 0, canvas.width, canvas.height);
      const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let v = 0;
      for (let i = 0; i < bits; i++) {
        const x = i * blockW + (blockW >> 1);
        const b = d[((rowH >> 1) * canvas.width + x) * 4] > 128 ? 1 : 0;
        const nb = d[((rowH + (rowH >> 1)) * canvas.width + x) * 4] > 128 ? 1 : 0;
        if (b === nb) return void unreadable++;
        v = v * 2 + b;
      }
      lat.push((((shownAtWall % 2 ** 32) - v) % 2 ** 32 + 2 ** 32) % 2 ** 32);
    };
    const onFrame = (_now, meta) => {
      read(performance.timeOrigin + meta.expectedDisplayTime);
      const b = video.buffered;
      if (b.length) ahead.push((b.end(b.length - 1) - video.currentTime) * 1000);
      if (performance.now() < end) video.requestVideoFrameCallback(onFrame);
      else resolve({ lat, unreadable, ahead });
    };
    video.requestVideoFrameCallback(onFrame);
  });
}

const pct = (xs, p) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/**
 * Glass-to-glass for one server and page.
 * `page`: 'player-flv' | 'player-ws' | 'player-hls' (livegate's own web player, `?protocol=`) or
 * 'flvjs' (a bare flv.js page, the same settings for every server: isLive, stash buffer off).
 * @param {{ server: 'livegate'|'nms', page: string, warmS?: number, measureS?: number }} o
 */
export async function glass({ server: key, page: mode, warmS = 6, measureS = 12 }) {
  const { chromium } = await import('playwright-core');
  const server = await STARTERS[key]({ hls: mode === 'player-hls' });
  const pub = startClockPublisher(server.rtmpUrl('g2g'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 }, bypassCSP: true });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const flvUrl = /** @type {(s: string) => string} */ (server.play.httpflv)('g2g');
    const origin = new URL(flvUrl).origin;
    await sleep(1500); // the publisher is live and has sent a keyframe
    if (mode === 'flvjs') {
      // A bare flv.js page, served on the server's origin by the browser itself (page.route): the same
      // for every server. Stash buffer off; one seek to 0.3 s from the buffered end once playing (a
      // GOP cache starts a viewer up to a GOP behind live, and every live page skips that).
      await page.route(`${origin}/__bench/**`, (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path.endsWith('.js')) return route.fulfill({ path: FLVJS, contentType: 'text/javascript' });
        return route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><body style="margin:0"><video muted autoplay playsinline style="width:640px"></video>
<script src="/__bench/flv.min.js"></script><script>
const v = document.querySelector('video');
const p = flvjs.createPlayer({ type: 'flv', isLive: true, url: ${JSON.stringify(flvUrl)}, hasAudio: false, hasVideo: true },
  { enableStashBuffer: false, enableWorker: false, lazyLoad: false });
p.attachMediaElement(v); p.load(); p.play();
const once = setInterval(() => {
  if (v.currentTime <= 0 || v.buffered.length === 0) return;
  clearInterval(once);
  const end = v.buffered.end(v.buffered.length - 1);
  if (end - v.currentTime > 0.3) v.currentTime = end - 0.3;
}, 200);
</script></body>`,
        });
      });
      await page.goto(`${origin}/__bench/g2g.html`);
    } else {
      await page.goto(`${origin}/watch/live/g2g?protocol=${mode.slice('player-'.length)}`);
    }
    await page.waitForFunction(() => {
      const v = document.querySelector('video');
      return v !== null && v.currentTime > 0.5 && v.videoWidth > 0;
    }, undefined, { timeout: 20_000 });
    await sleep(warmS * 1000);
    const { lat, unreadable, ahead } = await page.evaluate(measureInPage, { ms: measureS * 1000, bits: BITS, blockW: BLOCK_W, rowH: ROW_H });
    if (lat.length < measureS * 5) throw new Error(`only ${lat.length} frames read back (${unreadable} unreadable); page errors: ${errors.join('; ')}`);
    return {
      scenario: 'glass',
      server: server.name,
      page: mode,
      frames: lat.length,
      unreadable,
      p50Ms: pct(lat, 50),
      p90Ms: pct(lat, 90),
      minMs: Math.min(...lat),
      maxMs: Math.max(...lat),
      bufferAheadP50Ms: pct(ahead, 50),
      published: pub.frames(),
    };
  } finally {
    await browser.close().catch(() => {});
    await pub.stop();
    await server.stop();
  }
}

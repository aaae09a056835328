/**
 * The web player in a real browser (headless Chromium) against a real gateway fed by ffmpeg:
 * the list page updates without reload, the watch page plays over HTTP-FLV, WS-FLV and HLS
 * (currentTime advances and decoded frames grow), phone-sized layout, and the player
 * reconnects by itself when the publisher restarts. Screenshots go to test/artifacts/.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from './support/tools.js';
import { publish, type Running } from './support/ffmpeg.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';
import { artifactsDir, CHROMIUM, ensureWebPlayerBuilt, guardPage, launchChromium, videoProgress, type VideoProgress } from './support/browser.js';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 800 } };

/** Wait until the page's video has decoded frames and its playhead moves; returns when it first did and the numbers. */
async function waitForPlayback(page: Page, timeoutMs: number): Promise<VideoProgress> {
  let last: VideoProgress | undefined;
  await waitFor(
    async () => {
      last = await videoProgress(page);
      return last.currentTime > 0.2 && last.totalVideoFrames > 5 && !last.paused;
    },
    'playback to start',
    timeoutMs,
  ).catch(async (e: Error) => {
    const hooks = await page.evaluate(() => JSON.stringify(window.__livegate)).catch(() => '?');
    throw new Error(`${e.message}; video ${JSON.stringify(last)}; player ${hooks}`);
  });
  return last!;
}

/** Watch for `ms` and return how far the playhead and the decoded frame count moved. */
async function measure(page: Page, ms: number): Promise<{ advance: number; frames: number; before: VideoProgress; after: VideoProgress }> {
  const before = await videoProgress(page);
  await page.waitForTimeout(ms);
  const after = await videoProgress(page);
  return { advance: after.currentTime - before.currentTime, frames: after.totalVideoFrames - before.totalVideoFrames, before, after };
}

describeWithTools(['ffmpeg', CHROMIUM], 'web player in headless Chromium', () => {
  let gw: TestGateway;
  let browser: Browser;
  let desktop: BrowserContext;
  let phone: BrowserContext;
  let pub: Running | undefined;
  const results: Record<string, unknown> = {};

  beforeAll(async () => {
    ensureWebPlayerBuilt();
    gw = await startTestGateway(['--hls-segment-duration', '1', '--hls-playlist-length', '4']);
    browser = await launchChromium();
    desktop = await browser.newContext(DESKTOP);
    phone = await browser.newContext(PHONE);
  });
  afterAll(async () => {
    pub?.kill('SIGKILL');
    await browser?.close();
    await gw?.close();
    console.log(`[web-player] ${JSON.stringify(results)}`);
  });

  const startPublisher = () =>
    publish(gw.rtmpUrl('live/test'), { seconds: 30, size: '640x360', rate: 25, gop: 50 });

  it('list page: empty state explains how to publish, then shows a stream without reload', async () => {
    const page = await desktop.newPage();
    const guard = guardPage(page);
    await page.goto(gw.httpUrl('/'));
    const help = page.locator('.publish-help');
    await help.waitFor({ state: 'visible', timeout: 10_000 });
    const helpText = await help.textContent();
    expect(helpText).toContain('rtmp://127.0.0.1:');
    expect(helpText).toContain('/live');
    expect(helpText).toContain('ffmpeg -re -i');
    await page.screenshot({ path: join(artifactsDir, 'list-empty-desktop.png') });
    const phonePage = await phone.newPage();
    await phonePage.goto(gw.httpUrl('/'));
    await phonePage.locator('.publish-help').waitFor({ state: 'visible', timeout: 10_000 });
    await phonePage.screenshot({ path: join(artifactsDir, 'list-empty-phone.png') });

    pub = startPublisher();
    const card = page.locator('.stream-card[data-key="live/test"]');
    await card.waitFor({ state: 'visible', timeout: 15_000 }); // the poll (2.5 s) brings it in: no reload
    await waitFor(async () => /640×360/.test((await card.textContent()) ?? ''), 'the card to show the resolution', 10_000);
    expect(await help.isHidden()).toBe(true);
    expect(await card.getAttribute('href')).toBe('/watch/live/test');
    await page.screenshot({ path: join(artifactsDir, 'list-live-desktop.png') });
    await phonePage.locator('.stream-card').waitFor({ state: 'visible', timeout: 10_000 });
    await phonePage.screenshot({ path: join(artifactsDir, 'list-live-phone.png') });
    expect(guard.errors).toEqual([]);
    await phonePage.close();
    await page.close();
  }, 45_000);

  it('plays over HTTP-FLV (flv.js) by default: currentTime advances, frames are decoded, latency stays low', async () => {
    await waitFor(() => gw.ctx.bus.get('live', 'test') !== undefined, 'the publish');
    const page = await desktop.newPage();
    const guard = guardPage(page);
    const t0 = Date.now();
    await page.goto(gw.httpUrl('/watch/live/test'));
    const first = await waitForPlayback(page, 20_000);
    const startupMs = Date.now() - t0;
    const hooks = await page.evaluate(() => window.__livegate!);
    expect(hooks.protocol).toBe('flv');
    expect(hooks.engine).toBe('flv.js');
    const m = await measure(page, 4000);
    expect(m.advance).toBeGreaterThan(3);
    expect(m.frames).toBeGreaterThan(60); // 25 fps for 4 s = 100
    expect([m.after.videoWidth, m.after.videoHeight]).toEqual([640, 360]);
    expect(m.after.buffered).toBeLessThan(2); // live edge kept
    expect(await page.locator('[data-stat="resolution"] .v').textContent()).toContain('640×360');
    expect(await page.locator('.live-badge').textContent()).toBe('LIVE');
    await page.screenshot({ path: join(artifactsDir, 'watch-flv-desktop.png') });
    expect(guard.errors).toEqual([]);
    results.flv = { startupMs, firstFrames: first.totalVideoFrames, advance4s: +m.advance.toFixed(2), frames4s: m.frames, dropped: m.after.droppedVideoFrames, bufferS: +m.after.buffered.toFixed(2) };
    await page.close();
  }, 45_000);

  it('plays over WS-FLV with ?protocol=ws', async () => {
    const page = await desktop.newPage();
    const guard = guardPage(page);
    const t0 = Date.now();
    await page.goto(gw.httpUrl('/watch/live/test?protocol=ws'));
    await waitForPlayback(page, 20_000);
    const startupMs = Date.now() - t0;
    expect(await page.evaluate(() => window.__livegate!.protocol)).toBe('ws');
    expect(await page.locator('.proto[data-protocol="ws"]').getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => [...gw.ctx.viewers.all()].some((v) => v.protocol === 'ws-flv'), 'a WS-FLV viewer on the gateway', 5000);
    const m = await measure(page, 3000);
    expect(m.advance).toBeGreaterThan(2);
    expect(m.frames).toBeGreaterThan(40);
    expect(guard.errors).toEqual([]);
    results.ws = { startupMs, advance3s: +m.advance.toFixed(2), frames3s: m.frames };
    await page.close();
  }, 45_000);

  it('plays over HLS (hls.js) with ?protocol=hls, and the switch changes protocol in place', async () => {
    const page = await desktop.newPage();
    const guard = guardPage(page);
    const t0 = Date.now();
    await page.goto(gw.httpUrl('/watch/live/test?protocol=hls'));
    await waitForPlayback(page, 30_000);
    const startupMs = Date.now() - t0;
    expect(await page.evaluate(() => window.__livegate!)).toMatchObject({ protocol: 'hls', engine: 'hls.js' });
    const m = await measure(page, 4000);
    expect(m.advance).toBeGreaterThan(3);
    expect(m.frames).toBeGreaterThan(60);
    await page.screenshot({ path: join(artifactsDir, 'watch-hls-desktop.png') });
    results.hls = { startupMs, advance4s: +m.advance.toFixed(2), frames4s: m.frames };

    // Switch to HTTP-FLV with the button: URL updated, flv.js playing.
    await page.locator('.proto[data-protocol="flv"]').click();
    await waitFor(async () => (await page.evaluate(() => window.__livegate!.engine)) === 'flv.js', 'flv.js after the switch', 10_000);
    expect(new URL(page.url()).searchParams.get('protocol')).toBe('flv');
    const before = await videoProgress(page);
    await waitFor(async () => (await videoProgress(page)).totalVideoFrames > before.totalVideoFrames + 25, 'frames after the switch', 15_000);
    expect(guard.errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('phone-sized screen: video on top, chat below, muted autoplay with an unmute button', async () => {
    const page = await phone.newPage();
    const guard = guardPage(page);
    await page.goto(gw.httpUrl('/watch/live/test'));
    await waitForPlayback(page, 20_000);
    const box = await page.locator('.video-wrap').boundingBox();
    const chat = await page.locator('.chat').boundingBox();
    expect(box!.width).toBeGreaterThan(380);
    expect(Math.abs(box!.height - (box!.width * 9) / 16)).toBeLessThan(2);
    expect(chat!.y).toBeGreaterThanOrEqual(box!.y + box!.height);
    expect(chat!.height).toBeGreaterThan(200);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390); // nothing sticks out sideways
    expect(await page.evaluate(() => document.querySelector('video')!.muted)).toBe(true);
    const unmute = page.locator('.unmute');
    expect(await unmute.isVisible()).toBe(true);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(artifactsDir, 'watch-flv-phone.png') });
    await unmute.tap();
    expect(await page.evaluate(() => document.querySelector('video')!.muted)).toBe(false);
    expect(await unmute.isHidden()).toBe(true);
    expect(guard.errors).toEqual([]);
    await page.close();
  }, 45_000);

  it('plays over WS-FLV served by a viewer worker (viewers.workers = 1: the worker speaks the WebSocket)', async () => {
    const wgw = await startTestGateway(['--viewers-workers', '1', '--hls-enabled', 'false']);
    const wpub = publish(wgw.rtmpUrl('live/wk'), { seconds: 20, size: '640x360', rate: 25, gop: 50 });
    const page = await desktop.newPage();
    try {
      const guard = guardPage(page);
      await waitFor(() => wgw.ctx.bus.get('live', 'wk') !== undefined, 'the publish');
      await page.goto(wgw.httpUrl('/watch/live/wk?protocol=ws'));
      await waitForPlayback(page, 20_000);
      const served = [...wgw.ctx.viewers.all()].filter((v) => v.protocol === 'ws-flv');
      expect(served.map((v) => 'worker' in v && v.worker)).toEqual([0]); // handed to the worker, not served here
      const m = await measure(page, 3000);
      expect(m.advance).toBeGreaterThan(2);
      expect(m.frames).toBeGreaterThan(40);
      expect(guard.errors).toEqual([]);
      results.wsWorker = { advance3s: +m.advance.toFixed(2), frames3s: m.frames };
    } finally {
      await page.close();
      wpub.kill('SIGKILL');
      await wgw.close();
    }
  }, 60_000);

  it('reconnects by itself when the publisher restarts', async () => {
    const page = await desktop.newPage();
    const guard = guardPage(page);
    await page.goto(gw.httpUrl('/watch/live/test'));
    await waitForPlayback(page, 20_000);
    pub!.kill('SIGKILL');
    await pub!.done;
    await waitFor(() => gw.ctx.bus.get('live', 'test') === undefined, 'the unpublish', 10_000);
    await waitFor(async () => (await page.evaluate(() => window.__livegate!.state)) !== 'playing', 'the player to notice', 15_000);
    const down = await videoProgress(page);
    const t0 = Date.now();
    pub = startPublisher();
    await waitFor(
      async () => {
        const p = await videoProgress(page);
        const s = await page.evaluate(() => window.__livegate!.state);
        return s === 'playing' && p.totalVideoFrames > down.totalVideoFrames + 25;
      },
      'playback after the publisher restarted',
      25_000,
    );
    const recoverMs = Date.now() - t0;
    const m = await measure(page, 2000);
    expect(m.advance).toBeGreaterThan(1.2);
    expect(m.frames).toBeGreaterThan(25);
    const hooks = await page.evaluate(() => window.__livegate!);
    expect(hooks.reconnects).toBeGreaterThanOrEqual(1);
    expect(guard.errors).toEqual([]);
    results.reconnect = { recoverMs, reconnects: hooks.reconnects };
    await page.close();
  }, 60_000);
});

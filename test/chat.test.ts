/**
 * Chat and danmaku in real browsers: two pages on one stream see each other's messages in the
 * chat panel and flying over the video; user text is rendered as text (an XSS attempt shows
 * literally, creates no element and opens no dialog); the nickname survives a reload;
 * publisher captions fly as danmaku; a late joiner gets the history.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataMessage } from '@livegate/ingest';
import { describeWithTools } from './support/tools.js';
import { publish, type Running } from './support/ffmpeg.js';
import { startTestGateway, waitFor, type TestGateway } from './support/gateway.js';
import { artifactsDir, CHROMIUM, ensureWebPlayerBuilt, guardPage, launchChromium } from './support/browser.js';

const XSS = '<img src=x onerror=alert(1)>';

async function setNick(page: Page, nick: string): Promise<void> {
  await page.locator('.chat-nick').fill(nick);
  await page.locator('.chat-nick').dispatchEvent('change');
}

async function say(page: Page, text: string): Promise<void> {
  await page.locator('.chat-input').fill(text);
  await page.locator('.chat-input').press('Enter');
}

/** Chat lines as [nick, text] pairs, read with textContent. */
function lines(page: Page): Promise<Array<[string | null, string | null]>> {
  return page.$$eval('.chat-log .chat-line:not(.system)', (els) => els.map((e) => [e.querySelector('.nick')?.textContent ?? null, e.querySelector('.text')?.textContent ?? null]));
}

describeWithTools(['ffmpeg', CHROMIUM], 'chat and danmaku in headless Chromium', () => {
  let gw: TestGateway;
  let browser: Browser;
  let pub: Running;

  beforeAll(async () => {
    ensureWebPlayerBuilt();
    gw = await startTestGateway();
    browser = await launchChromium();
    pub = publish(gw.rtmpUrl('live/chat'), { seconds: 30, size: '640x360', rate: 25, gop: 50 });
    await waitFor(() => gw.ctx.bus.get('live', 'chat') !== undefined, 'the publish');
  });
  afterAll(async () => {
    pub?.kill('SIGKILL');
    await browser?.close();
    await gw?.close();
  });

  it('two pages: messages appear in the other page’s chat and as danmaku; HTML stays text', async () => {
    const ctxA = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const ctxB = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const a = await ctxA.newPage();
    const b = await ctxB.newPage();
    const guardA = guardPage(a);
    const guardB = guardPage(b);
    await a.goto(gw.httpUrl('/watch/live/chat'));
    await b.goto(gw.httpUrl('/watch/live/chat'));
    for (const p of [a, b]) await p.locator('.chat-state[data-state="open"]').waitFor({ timeout: 10_000 });
    await setNick(a, 'alice');
    await setNick(b, 'bob');
    await waitFor(async () => (await a.locator('.viewers').textContent()) === '2 watching', 'the viewer count on a', 5000);
    expect(await b.locator('.viewers').textContent()).toBe('2 watching');

    await say(a, 'hello from alice');
    await waitFor(async () => (await lines(b)).some(([n, t]) => n === 'alice' && t === 'hello from alice'), 'alice’s line at bob', 5000);
    await b.locator('.danmaku-item', { hasText: 'hello from alice' }).waitFor({ timeout: 5000 });
    expect(await a.locator('.chat-line.own .text').first().textContent()).toBe('hello from alice');
    expect(await a.locator('.danmaku-own').count()).toBeGreaterThanOrEqual(1);

    await say(b, XSS);
    await waitFor(async () => (await lines(a)).some(([, t]) => t === XSS), 'the HTML message at alice', 5000);
    const danmakuText = await a.locator('.danmaku-item').evaluateAll((els, x) => els.map((e) => e.textContent).filter((t) => t === x), XSS);
    expect(danmakuText).toEqual([XSS]);
    for (const p of [a, b]) {
      expect(await p.locator('img').count()).toBe(0);
      expect(await p.locator('.chat-log img, .danmaku-layer img').count()).toBe(0);
    }
    await a.waitForTimeout(1500); // give a would-be onerror time to fire
    expect(guardA.dialogs).toEqual([]);
    expect(guardB.dialogs).toEqual([]);

    // A publisher caption (onTextData on the live stream) flies over both players.
    const caption: DataMessage = { kind: 'data', dts: 0, pts: 0, name: 'onTextData', args: [Object.assign(Object.create(null), { text: 'Caption from the encoder' })], body: Buffer.alloc(0) };
    gw.ctx.bus.get('live', 'chat')!.push(caption);
    await b.locator('.danmaku-caption', { hasText: 'Caption from the encoder' }).waitFor({ timeout: 5000 });
    await b.locator('.chat-line.caption', { hasText: 'Caption from the encoder' }).waitFor({ timeout: 5000 });

    await say(b, 'danmaku over live video ✓');
    await a.locator('.danmaku-item', { hasText: 'danmaku over live video' }).waitFor({ timeout: 5000 });
    await a.waitForTimeout(700);
    await a.screenshot({ path: join(artifactsDir, 'chat-danmaku-desktop.png') });

    // The nickname is kept in localStorage.
    await a.reload();
    await a.locator('.chat-state[data-state="open"]').waitFor({ timeout: 10_000 });
    expect(await a.locator('.chat-nick').inputValue()).toBe('alice');
    // ... and after the reload the history is back (replayed, not flown again as danmaku).
    await waitFor(async () => (await lines(a)).some(([n, t]) => n === 'bob' && t === XSS), 'history after reload', 5000);
    expect(await a.locator('.chat-line.replay').count()).toBeGreaterThanOrEqual(3);
    expect(await a.locator('.danmaku-item', { hasText: 'hello from alice' }).count()).toBe(0);
    expect(await a.locator('img').count()).toBe(0);

    expect([...guardA.errors, ...guardB.errors]).toEqual([]);
    await ctxA.close();
    await ctxB.close();
  }, 60_000);

  it('phone-sized chat: messages and the input fit the screen', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const p = await ctx.newPage();
    const guard = guardPage(p);
    await p.goto(gw.httpUrl('/watch/live/chat'));
    await p.locator('.chat-state[data-state="open"]').waitFor({ timeout: 10_000 });
    await setNick(p, 'phone');
    await say(p, 'typed on a phone, a message long enough to wrap onto a second line in the panel');
    await p.locator('.chat-line.own').waitFor({ timeout: 5000 });
    const form = await p.locator('.chat-form').boundingBox();
    expect(form!.y + form!.height).toBeLessThanOrEqual(844 + 1);
    expect(form!.x + form!.width).toBeLessThanOrEqual(390 + 1);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.waitForTimeout(500);
    await p.screenshot({ path: join(artifactsDir, 'chat-phone.png') });
    expect(guard.errors).toEqual([]);
    await ctx.close();
  }, 30_000);
});

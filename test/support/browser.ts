/**
 * Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; never `playwright install`)
 * and the built web player the gateway serves.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const playerDir = fileURLToPath(new URL('../../packages/web-player/', import.meta.url));
/** Screenshots and traces (gitignored). */
export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build packages/web-player unless dist/ is newer than every source (the build swaps dist/ in atomically). */
export function ensureWebPlayerBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(playerDir, 'dist/static/app.js')).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(newestMtime(join(playerDir, 'src')), statSync(join(playerDir, 'build.mjs')).mtimeMs);
  if (built > sources) return;
  execFileSync(process.execPath, [join(playerDir, 'build.mjs')], { stdio: 'ignore', timeout: 60_000 });
}

/** Launch headless Chromium with muted autoplay allowed and no background network chatter. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Fail the test on any JavaScript dialog (an XSS would open one) and collect page errors. */
export function guardPage(page: Page): { errors: string[]; dialogs: string[] } {
  const out = { errors: [] as string[], dialogs: [] as string[] };
  page.on('dialog', (d) => {
    out.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => out.errors.push(e.message));
  return out;
}

/** What the page's <video> reports. */
export interface VideoProgress {
  currentTime: number;
  totalVideoFrames: number;
  droppedVideoFrames: number;
  videoWidth: number;
  videoHeight: number;
  paused: boolean;
  readyState: number;
  buffered: number;
}

export function videoProgress(page: Page): Promise<VideoProgress> {
  return page.evaluate(() => {
    const v = document.querySelector('video')!;
    const q = v.getVideoPlaybackQuality();
    const b = v.buffered;
    return {
      currentTime: v.currentTime,
      totalVideoFrames: q.totalVideoFrames,
      droppedVideoFrames: q.droppedVideoFrames,
      videoWidth: v.videoWidth,
      videoHeight: v.videoHeight,
      paused: v.paused,
      readyState: v.readyState,
      buffered: b.length ? b.end(b.length - 1) - v.currentTime : 0,
    };
  });
}

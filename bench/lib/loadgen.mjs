/**
 * The load generator: N viewers of one protocol ramped up at a bounded rate, a settle time, then a
 * steady window in which every viewer must keep up (>= frac x stream bitrate, in bytes and in media
 * time) while probe viewers join one by one to time a new viewer's first keyframe under load.
 */
import { HttpFlvViewer, WsFlvViewer } from './http-viewers.mjs';
import { RtmpViewer } from './rtmp-viewer.mjs';
import { jain, pct, round } from './stats.mjs';

/** @typedef {'httpflv' | 'wsflv' | 'rtmp'} Protocol */

/** Viewer class per protocol. */
export const VIEWERS = { httpflv: HttpFlvViewer, wsflv: WsFlvViewer, rtmp: RtmpViewer };

/** Scheduler tick for ramp-up and interval reads. */
const TICK_MS = 10;
/** Viewers whose per-second byte series is kept in the result. */
const SERIES_VIEWERS = 5;

/**
 * @typedef {{ url: string, protocol: Protocol, n: number, bitrateKbps: number, rampRate?: number,
 *   settleS?: number, steadyS?: number, probeMs?: number, probeTimeoutMs?: number, readIntervalMs?: number,
 *   frac?: number, onMark?: (what: 'steady-start' | 'steady-end') => void, log?: (line: string) => void,
 *   holdAt?: number[], onHold?: (opened: number) => Promise<void> }} LoadOptions
 * holdAt / onHold: the ramp stops when that many viewers are open, waits until every one of them has
 * media (it has joined the stream on the server), awaits onHold, then goes on: a caller can put its own
 * viewers at known places in the server's join order.
 */

/** Runs one load; resolves with the summary (JSON-ready). @param {LoadOptions} o */
export async function runLoad(o) {
  const Cls = VIEWERS[o.protocol];
  if (!Cls) throw new Error(`unknown protocol ${o.protocol}`);
  const url = new URL(o.url);
  const rampRate = o.rampRate ?? 500;
  const settleS = o.settleS ?? 3;
  const steadyS = o.steadyS ?? 10;
  const probeMs = o.probeMs ?? 500;
  const probeTimeoutMs = o.probeTimeoutMs ?? 5_000;
  const interval = o.readIntervalMs ?? 100;
  const frac = o.frac ?? 0.9;
  const log = o.log ?? (() => {});
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();

  /** @type {import('./viewer.mjs').Viewer[]} */
  const viewers = [];
  /** @type {import('./viewer.mjs').Viewer[][]} */
  const buckets = Array.from({ length: Math.max(1, Math.round(interval / TICK_MS)) }, () => []);
  /** @type {import('./viewer.mjs').Viewer[]} */
  const probes = [];
  const perSecond = /** @type {{ t: number, mbps: number, open: number, media: number }[]} */ ([]);
  const series = Array.from({ length: Math.min(SERIES_VIEWERS, o.n) }, () => /** @type {number[]} */ ([]));

  let opened = 0;
  let tick = 0;
  let rampEnd = -1;
  let allowance = 0;
  const holds = [...(o.holdAt ?? [])].sort((a, b) => a - b);
  let holding = false;
  const hold = async () => {
    const deadline = performance.now() + 10_000;
    while (viewers.some((v) => v.ttfm < 0 && !v.closed) && performance.now() < deadline) await sleepMs(20);
    await o.onHold?.(opened);
    holding = false;
  };
  let steadyStartT = -1;
  let ended = false;
  const scheduler = setInterval(() => {
    tick++;
    if (opened < o.n && !holding) {
      allowance += rampRate <= 0 ? o.n : (rampRate * TICK_MS) / 1000;
      while (opened < o.n && allowance >= 1) {
        if (holds.length > 0 && opened >= holds[0]) {
          holds.shift();
          holding = true;
          allowance = 0;
          void hold();
          break;
        }
        allowance--;
        const v = new Cls(opened, url, { readIntervalMs: interval });
        viewers.push(v);
        buckets[opened % buckets.length].push(v);
        v.start();
        opened++;
      }
      if (opened === o.n) rampEnd = performance.now();
    }
    if (interval > 0) for (const v of buckets[tick % buckets.length]) v.resume();
  }, TICK_MS);

  let lastAgg = 0;
  const sTimer = setInterval(() => {
    let agg = 0;
    let open = 0;
    let media = 0;
    for (const v of viewers) {
      agg += v.bytes;
      if (!v.closed) open++;
      if (v.media && !v.closed) media++;
    }
    for (let i = 0; i < series.length; i++) {
      const v = viewers[i];
      const prev = series[i].reduce((a, b) => a + b, 0);
      series[i].push(v ? v.bytes - prev : 0);
    }
    perSecond.push({ t: round((performance.now() - t0) / 1000), mbps: round(((agg - lastAgg) * 8) / 1e6), open, media });
    log(`t=${perSecond.at(-1)?.t}s open=${open} media=${media} ${perSecond.at(-1)?.mbps} Mbit/s`);
    lastAgg = agg;
  }, 1000);

  // ramp-up
  while (rampEnd < 0) await sleepMs(50);
  await sleepMs(settleS * 1000);

  // steady window
  steadyStartT = performance.now();
  const snapBytes = viewers.map((v) => v.bytes);
  const snapTs = viewers.map((v) => v.lastVideoTs);
  for (const v of viewers) v.gapFrom = steadyStartT;
  o.onMark?.('steady-start');
  let probeTimer;
  const probeLoop = () => {
    if (ended || probeMs <= 0) return;
    const p = new Cls(-1 - probes.length, url, {
      probe: true,
      readIntervalMs: 0,
      onKeyframe: (v) => v.close('probe done'),
    });
    probes.push(p);
    p.start();
    setTimeout(() => p.close('probe timeout'), probeTimeoutMs).unref();
    probeTimer = setTimeout(probeLoop, probeMs * (0.5 + Math.random()));
  };
  if (probeMs > 0) probeTimer = setTimeout(probeLoop, probeMs * Math.random());
  await sleepMs(steadyS * 1000);
  const steadyEndT = performance.now();
  o.onMark?.('steady-end');
  ended = true;
  clearTimeout(probeTimer);
  const win = (steadyEndT - steadyStartT) / 1000;
  // probes still joining finish (or time out) before the summary; the cohort's numbers are already frozen
  const frozen = viewers.map((v) => ({ bytes: v.bytes, ts: v.lastVideoTs, closed: v.closed, lastRead: v.lastRead }));
  const probeDeadline = performance.now() + probeTimeoutMs + 100;
  while (probes.some((p) => !p.closed) && performance.now() < probeDeadline) await sleepMs(50);

  // summary
  const need = ((o.bitrateKbps * 1000) / 8) * win * frac;
  let keepBytes = 0;
  let keepMt = 0;
  let steadyBytes = 0;
  const rates = [];
  const gaps = [];
  const reasons = /** @type {Record<string, number>} */ ({});
  for (let i = 0; i < viewers.length; i++) {
    const v = viewers[i];
    const f = frozen[i];
    const b = f.bytes - snapBytes[i];
    steadyBytes += b;
    rates.push((b * 8) / 1e6 / win);
    const alive = !f.closed;
    if (alive && b >= need) keepBytes++;
    if (alive && snapTs[i] >= 0 && f.ts >= 0 && (f.ts - snapTs[i]) / 1000 >= frac * win) keepMt++;
    if (alive && f.lastRead > 0) gaps.push(Math.max(v.maxGap, steadyEndT - f.lastRead));
    if (v.closed) reasons[v.closeReason] = (reasons[v.closeReason] ?? 0) + 1;
  }
  const done = probes.filter((p) => p.ttfk >= 0);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  const keepBoth = frozen.filter((f, i) => !f.closed && f.bytes - snapBytes[i] >= need && snapTs[i] >= 0 && (f.ts - snapTs[i]) / 1000 >= frac * win).length;
  const result = {
    protocol: o.protocol,
    url: o.url,
    viewers: o.n,
    readIntervalMs: interval,
    rampRate,
    bitrateKbps: o.bitrateKbps,
    frac,
    steadyStartS: round((steadyStartT - t0) / 1000, 2),
    steadyS: round(win, 2),
    connected: viewers.filter((v) => v.ttfb >= 0).length,
    gotMedia: viewers.filter((v) => v.ttfm >= 0).length,
    gotKeyframe: viewers.filter((v) => v.ttfk >= 0).length,
    closed: frozen.filter((f) => f.closed).length,
    closeReasons: reasons,
    keepBytes,
    keepBytesPct: round((100 * keepBytes) / o.n, 2),
    keepMediaTime: keepMt,
    keepMediaTimePct: round((100 * keepMt) / o.n, 2),
    keepUpPct: round((100 * keepBoth) / o.n, 2),
    steadyBytes,
    aggMbps: round((steadyBytes * 8) / 1e6 / win),
    viewerMbps: { min: round(rates.length ? Math.min(...rates) : NaN, 3), p1: round(pct(rates, 1), 3), p10: round(pct(rates, 10), 3), p50: round(pct(rates, 50), 3) },
    // how evenly the bytes were shared: Jain's index of the viewers' steady-window rates (1: all equal; 1/n: one got everything)
    jain: round(jain(rates), 4),
    cohort: {
      ttfbP50Ms: round(pct(viewers.filter((v) => v.ttfb >= 0).map((v) => v.ttfb), 50)),
      ttfmP50Ms: round(pct(viewers.filter((v) => v.ttfm >= 0).map((v) => v.ttfm), 50)),
      ttfkP50Ms: round(pct(viewers.filter((v) => v.ttfk >= 0).map((v) => v.ttfk), 50)),
      ttfkP90Ms: round(pct(viewers.filter((v) => v.ttfk >= 0).map((v) => v.ttfk), 90)),
    },
    probes: {
      n: probes.length,
      failed: probes.length - done.length,
      ttfbP50Ms: round(pct(done.map((p) => p.ttfb), 50)),
      ttfkP50Ms: round(pct(done.map((p) => p.ttfk), 50)),
      ttfkP90Ms: round(pct(done.map((p) => p.ttfk), 90)),
    },
    readGapP99Ms: round(pct(gaps, 99)),
    readGapMaxMs: round(gaps.length ? Math.max(...gaps) : NaN),
    /** Open viewers that went 5 s or more without a byte in the steady window (starved). */
    starved: gaps.filter((g) => g >= 5000).length,
    loadgenCpuS: round((cpu.user + cpu.system) / 1e6, 2),
    loadgenCpuPct: round(((cpu.user + cpu.system) / 1e6 / wall) * 100),
    perSecond,
    viewerBytesPerSecond: series,
  };
  clearInterval(scheduler);
  clearInterval(sTimer);
  for (const v of viewers) v.close('end of run');
  for (const p of probes) p.close('end of run');
  return result;
}

/** @param {number} ms */
function sleepMs(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The scenarios: fan-out (one server, one protocol, N viewers, JS or C load generator), server-added
 * delay, ingest throughput, HLS cost, and a CPU profile of livegate under load.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_CPU, ROOT, STARTERS, TMP } from './servers.mjs';
import { ffmpegPush, pacedPublisher } from './publisher.mjs';
import { machineCpu, pct, sleep, startProc, treeUsage } from './procs.mjs';
import { VIEWERS } from './loadgen.mjs';
import { SENT, matchDelays, perFrame } from './delay-math.mjs';
import { round } from './stats.mjs';

export const STREAM = 'bench';
const C_LOADGEN_SRC = '/work/shared/tools/loadgen/loadgen.c';
const C_LOADGEN = join(TMP, 'loadgen');

/** Resolves once a viewer of `url` gets its first keyframe (the stream is live), or throws. */
export async function waitKeyframe(protocol, url, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const v = new VIEWERS[protocol](0, new URL(url), { onKeyframe: (x) => (resolve(true), x.close('ok')), onClose: () => resolve(false) });
      v.start();
      setTimeout(() => (v.close('timeout'), resolve(false)), 3000);
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`no keyframe from ${url} within ${ms} ms`);
    await sleep(300);
  }
}

/** Server CPU/RSS/machine snapshot. */
function mark(pid) {
  return { t: performance.now() / 1000, ...treeUsage(pid), machine: machineCpu() };
}

/** Server figures between two marks. */
function serverFigures(a, b, base, n, steadyBytes) {
  const dt = b.t - a.t;
  const cpuS = b.cpu - a.cpu;
  return {
    cpuPct: round((cpuS / dt) * 100),
    cpuSPerGB: steadyBytes > 0 ? round(cpuS / (steadyBytes / 1e9), 3) : null,
    rssBaseMB: round(base.rss / 2 ** 20),
    rssMB: round(b.rss / 2 ** 20),
    /** RSS change over the steady window: flat for a server that holds memory under load, rising for one that queues. */
    rssSteadyGrowthMB: round((b.rss - a.rss) / 2 ** 20),
    rssPerViewerKB: n > 0 ? round((b.rss - base.rss) / n / 1024) : null,
    machineBusyPct: round(((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * 100),
    // every busy CPU-second of the machine (server, load generator, publisher, and kernel work wherever it
    // ran) per GB delivered: on loopback the kernel may do a sender's transmission on the receiver's core
    machineCpuSPerGB: steadyBytes > 0 ? round((b.machine.busy - a.machine.busy) / (steadyBytes / 1e9), 3) : null,
  };
}

/**
 * The JS load generator (bench/loadgen.mjs) on the client core: `n` viewers of `url` opened at 500/s,
 * reading every `interval` ms (0: as data arrives), a `settleS` then `steadyS` window, a probe viewer
 * every ~`probeMs` (0: none); it prints MARK lines and one RESULT line (`onLine`). With `holdAt` its
 * ramp stops at those counts ("MARK hold COUNT") until the returned process's `send('go')`.
 * @param {{ protocol: string, url: string, n: number, kbps: number, interval: number, steadyS: number, settleS: number,
 *   probeMs: number, onLine?: (line: string) => void, holdAt?: number[] }} o
 */
export function startJsLoadgen(o) {
  const hold = o.holdAt?.length ? ['--hold-at', o.holdAt.join(',')] : [];
  return startProc('loadgen', process.execPath, [
    join(ROOT, 'bench/loadgen.mjs'), o.protocol, o.url, String(o.n), String(o.kbps),
    '--interval', String(o.interval), '--steady', String(o.steadyS), '--settle', String(o.settleS), '--probe', String(o.probeMs), ...hold,
  ], { cpu: CLIENT_CPU, maxMs: (o.n / 500 + o.settleS + o.steadyS + 60) * 1000, onLine: o.onLine, stdin: hold.length > 0 });
}

/** Builds the C reference load generator into bench/tmp/ (not committed). */
export function buildCLoadgen() {
  if (!existsSync(C_LOADGEN_SRC)) throw new Error(`${C_LOADGEN_SRC} missing`);
  mkdirSync(TMP, { recursive: true });
  execFileSync('gcc', ['-O2', '-Wall', '-o', C_LOADGEN, C_LOADGEN_SRC, '-lm'], { stdio: 'inherit' });
  return C_LOADGEN;
}

/**
 * One fan-out run on a fresh server: ffmpeg loops the asset in, the load generator (JS or C, on the
 * client core) opens N viewers; server CPU and RSS are read from /proc over the steady window.
 * @param {{ server: 'livegate'|'nginx'|'nms', protocol: 'httpflv'|'wsflv'|'rtmp', n: number, asset: string, kbps: number,
 *   interval?: number, steadyS?: number, settleS?: number, probeMs?: number, loadgen?: 'js'|'c', cpuProf?: string,
 *   serverOpts?: { workers?: number, cpus?: string, nagle?: boolean, cgroup?: string }, cpuQuotaPct?: number }} o
 */
export async function fanout(o) {
  const server = await STARTERS[o.server]({ cpuProf: o.cpuProf, ...o.serverOpts });
  const pub = ffmpegPush(o.asset, server.rtmpUrl(STREAM));
  try {
    const url = /** @type {(s: string) => string} */ (server.play[o.protocol])(STREAM);
    await waitKeyframe(o.protocol, url);
    await sleep(1000);
    const base = mark(server.pid);
    const interval = o.interval ?? 100;
    const steadyS = o.steadyS ?? 10;
    const settleS = o.settleS ?? 3;
    const probeMs = o.probeMs ?? 500;
    /** @type {Record<string, ReturnType<typeof mark>>} */
    const marks = {};
    let result;
    if ((o.loadgen ?? 'js') === 'js') {
      const lg = startJsLoadgen({
        protocol: o.protocol, url, n: o.n, kbps: o.kbps, interval, steadyS, settleS, probeMs,
        onLine: (l) => {
          if (l === 'MARK steady-start') marks.start = mark(server.pid);
          else if (l === 'MARK steady-end') marks.end = mark(server.pid);
          else if (l.startsWith('RESULT ')) result = JSON.parse(l.slice(7));
        },
      });
      await lg.exited;
      if (!result || !marks.start || !marks.end) throw new Error(`loadgen gave no result: ${lg.output().slice(-2000)}`);
    } else {
      if (o.protocol === 'wsflv') throw new Error('the C loadgen has no WS-FLV');
      const ramp = o.n / 500;
      const duration = Math.ceil(ramp + settleS + steadyS);
      const lg = startProc('c-loadgen', C_LOADGEN, [
        o.protocol, url.replace('ws:', 'http:'), String(o.n), String(duration), '-b', String(o.kbps),
        '-r', '500', '-w', String(settleS), '-F', '-p', String(probeMs), '-i', String(interval), '-q',
      ], {
        cpu: CLIENT_CPU,
        maxMs: (duration + 30) * 1000,
        onLine: (l) => {
          // the C tool prints nan for empty percentiles
          if (l.startsWith('RESULT ')) result = JSON.parse(l.slice(7).replace(/\bnan\b/g, 'null'));
        },
      });
      const t0 = Date.now();
      // the C tool starts its steady window at ramp end + settle (-F) and ends at DURATION
      await sleep((ramp + settleS) * 1000);
      marks.start = mark(server.pid);
      await sleep(Math.max(0, t0 + duration * 1000 - Date.now()));
      marks.end = mark(server.pid);
      await lg.exited;
      if (!result) throw new Error(`C loadgen gave no result: ${lg.output().slice(-2000)}`);
      result.steadyBytes = (result.agg_mbps * 1e6 * result.steady_s) / 8;
      result.keepUpPct = Math.min(result.keep_bytes_pct, result.keep_mt_pct);
    }
    return {
      scenario: 'fanout',
      server: server.name,
      protocol: o.protocol,
      loadgen: o.loadgen ?? 'js',
      n: o.n,
      ...(o.cpuQuotaPct ? { cpuQuotaPct: o.cpuQuotaPct } : {}),
      readIntervalMs: interval,
      keepUpPct: result.keepUpPct,
      ...serverFigures(marks.start, marks.end, base, o.n, result.steadyBytes),
      load: result,
    };
  } finally {
    await pub.stop();
    await server.stop();
  }
}

/**
 * Server-added delay: the harness publishes with RtmpClient, stamping the send time of each video tag;
 * `viewers` in-process viewers (reading as data arrives) stamp arrival; tags are matched by body size
 * and each viewer's constant timestamp offset (servers rebase timestamps per viewer). Only tags published
 * after every viewer joined count (a GOP cache replays the last ones at join: start-up, not delay).
 *
 * With a background of `loadN` loadgen viewers, the measured viewers join spread through the
 * background's join order (the loadgen's ramp holds at each place until the measured viewer has media):
 * a server writes a frame to its viewers one after another, so a viewer's delay depends on where it
 * sits in that loop, and servers order it differently (nginx-rtmp puts the newest viewer first;
 * livegate turns the starting point with every frame). Spread viewers measure what viewers get in
 * general, not what the first or last one gets. `byJoin` gives each one's figures in join order.
 *
 * `bgReadMs`: how the background viewers read (every 100 ms, as buffering players do, or 0: as data
 * arrives, as flv.js's fetch stream and ffplay do). It matters for a server that leaves Nagle on
 * (nginx-rtmp): a viewer that reads late also ACKs late, so its writes wait in the kernel and cost the
 * server's loop little; one that reads at once takes a full transmit on every write, as with TCP_NODELAY.
 *
 * `dumpDir`: also write every sample there (published tags [ts, size, send ms, keyframe] and, per
 * measured viewer, its delays and the published tag each belongs to), for analysis beyond the summary.
 */
export async function delay({ server: key, protocol, flv, kbps, viewers, seconds = 12, loadN = 0, bgReadMs = 100, serverOpts = {}, dumpDir = '' }) {
  const server = await STARTERS[key](serverOpts);
  const pub = await pacedPublisher(server.rtmpUrl(STREAM), flv);
  const count = viewers ?? (loadN > 0 ? 8 : 3);
  const url = /** @type {(s: string) => string} */ (server.play[protocol])(STREAM);
  /** @type {import('./viewer.mjs').Viewer[]} */
  const vs = [];
  const measured = () => {
    const v = new VIEWERS[protocol](vs.length, new URL(url), { recordTags: true, readIntervalMs: 0 });
    vs.push(v);
    v.start();
    return v;
  };
  /** @type {ReturnType<typeof startJsLoadgen> | undefined} */
  let lg;
  /** Background viewers opened before each measured one. */
  const joinedAfter = Array.from({ length: count }, () => 0);
  try {
    await waitKeyframe(protocol, url);
    if (loadN > 0) {
      const holdAt = joinedAfter.map((_, k) => Math.round(((k + 0.5) * loadN) / count));
      /** @type {() => void} */
      let steady = () => {};
      const steadyStart = new Promise((r) => (steady = () => r(undefined)));
      const bg = startJsLoadgen({
        protocol, url, n: loadN, kbps, interval: bgReadMs, steadyS: seconds + 5, settleS: 1, probeMs: 0, holdAt,
        onLine: (l) => {
          if (l.startsWith('MARK hold ')) {
            joinedAfter[vs.length] = Number(l.slice(10)); // where the loadgen's ramp actually stopped
            const v = measured();
            void until(() => v.ttfm >= 0 || v.closed, 5_000).then(() => bg.send('go'));
          } else if (l === 'MARK steady-start') steady();
        },
      });
      lg = bg;
      await Promise.race([steadyStart, bg.exited.then(() => Promise.reject(new Error(`loadgen exited early: ${bg.output().slice(-2000)}`)))]);
      if (vs.length !== count) throw new Error(`${vs.length} of ${count} measured viewers joined`);
    } else for (let i = 0; i < count; i++) measured();
    const joinedAt = performance.now();
    await sleep(seconds * 1000);
    for (const v of vs) v.close('end of run');
    const live = [];
    for (let i = 0; i < pub.sent.length; i += SENT) if (pub.sent[i + 2] >= joinedAt) live.push(...pub.sent.slice(i, i + SENT));
    const each = vs.map((v) => matchDelays(live, /** @type {number[]} */ (v.tags)));
    const delays = each.flatMap((m) => m.delays);
    const frames = perFrame(live, each);
    if (dumpDir) {
      mkdirSync(dumpDir, { recursive: true });
      const file = join(dumpDir, `delay-${server.name}-${protocol}-${loadN}-${loadN > 0 ? `reads${bgReadMs}` : 'alone'}.json`);
      writeFileSync(file, JSON.stringify({ server: server.name, protocol, loadN, bgReadMs, joinedAfter, sent: live, matched: each }));
    }
    return {
      scenario: 'delay',
      server: server.name,
      protocol,
      loadN,
      bgReadMs: loadN > 0 ? bgReadMs : undefined,
      viewers: count,
      matched: delays.length,
      p50Ms: round(pct(delays, 50), 2),
      p90Ms: round(pct(delays, 90), 2),
      p99Ms: round(pct(delays, 99), 2),
      maxMs: round(delays.length ? Math.max(...delays) : NaN, 2),
      ...frames,
      byJoin: each.map(({ delays: d }, k) => ({ joinedAfter: joinedAfter[k], matched: d.length, p50Ms: round(pct(d, 50), 2), p99Ms: round(pct(d, 99), 2) })),
    };
  } finally {
    await lg?.stop();
    await pub.stop();
    await server.stop();
  }
}

/** Resolves when `cond()` holds (checked every 10 ms) or after `ms`. @param {() => boolean} cond @param {number} ms */
async function until(cond, ms) {
  const end = performance.now() + ms;
  while (!cond() && performance.now() < end) await sleep(10);
}

/** Ingest throughput: ffmpeg pushes `loops`+1 passes of the asset as fast as it can, no viewers. */
export async function ingest({ server: key, asset, loops = 4 }) {
  const server = await STARTERS[key]({});
  try {
    const bytes = readFileSync(asset).length * (loops + 1);
    const a = mark(server.pid);
    const pub = ffmpegPush(asset, server.rtmpUrl(STREAM), { realtime: false, loops });
    const ex = await pub.exited;
    const b = mark(server.pid);
    const dt = b.t - a.t;
    return {
      scenario: 'ingest',
      server: server.name,
      ffmpegExit: ex.code,
      seconds: round(dt, 2),
      MBps: round(bytes / 2 ** 20 / dt),
      mediaSpeedX: round((loops + 1) * 60 / dt),
      serverCpuPct: round(((b.cpu - a.cpu) / dt) * 100),
      serverCpuSPerGB: round((b.cpu - a.cpu) / (bytes / 1e9), 3),
      machineBusyPct: round(((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * 100),
    };
  } finally {
    await server.stop();
  }
}

/** HLS cost: `streams` real-time publishers, server CPU with HLS on minus with HLS off, per stream. */
export async function hlsCost({ server: key, asset, streams = 10, warmS = 6, windowS = 15 }) {
  const out = { scenario: 'hls', server: '', streams, windowS };
  for (const hls of [false, true]) {
    const server = await STARTERS[key]({ hls });
    out.server = server.name;
    const pubs = Array.from({ length: streams }, (_, i) => ffmpegPush(asset, server.rtmpUrl(`hls${i}`)));
    try {
      await sleep(warmS * 1000);
      const a = mark(server.pid);
      await sleep(windowS * 1000);
      const b = mark(server.pid);
      let playlist = null;
      if (hls && server.hlsUrl) {
        const r = await fetch(server.hlsUrl('hls0')).catch(() => null);
        playlist = r ? { status: r.status, segments: ((await r.text()).match(/#EXTINF/g) ?? []).length } : null;
      }
      out[hls ? 'on' : 'off'] = { cpuPct: round(((b.cpu - a.cpu) / (b.t - a.t)) * 100), rssMB: round(b.rss / 2 ** 20), playlist };
    } finally {
      await Promise.all(pubs.map((p) => p.stop()));
      await server.stop();
    }
  }
  out.hlsCpuPctPerStream = round((out.on.cpuPct - out.off.cpuPct) / streams, 2);
  return out;
}

/** Top self-time functions of the newest .cpuprofile in `dir`. */
export function summarizeProfile(dir, top = 15) {
  const f = readdirSync(dir).filter((x) => x.endsWith('.cpuprofile')).sort().pop();
  if (!f) return null;
  const prof = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const total = prof.endTime - prof.startTime;
  const samples = prof.samples.length;
  const self = new Map();
  for (const node of prof.nodes) {
    const c = node.callFrame;
    const url = c.url.replace(/^file:\/\//, '').replace(ROOT, '');
    const k = `${c.functionName || '(anonymous)'} ${url ? `${url.split('/node_modules/').pop()}:${c.lineNumber + 1}` : ''}`.trim();
    self.set(k, (self.get(k) ?? 0) + (node.hitCount ?? 0));
  }
  return {
    file: f,
    durationS: round(total / 1e6, 2),
    top: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, hits]) => ({ fn, selfPct: round((100 * hits) / samples) })),
  };
}

/** A fan-out run of livegate with --cpu-prof; returns the run and the profile summary. */
export async function profileLivegate({ protocol, n, asset, kbps }) {
  const dir = join(TMP, 'cpu-prof');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const run = await fanout({ server: 'livegate', protocol, n, asset, kbps, cpuProf: dir });
  return { scenario: 'profile', protocol, n, keepUpPct: run.keepUpPct, cpuPct: run.cpuPct, profile: summarizeProfile(dir) };
}

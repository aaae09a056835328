/** Markdown tables and an SVG chart (viewers vs server CPU) from a results file. */

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2'];
const f = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(d));

/** Fan-out runs of the sweep (JS loadgen, read every 100 ms), grouped by "server protocol". */
export function sweepGroups(results) {
  const groups = new Map();
  for (const r of results.runs) {
    if (r.scenario !== 'fanout' || r.loadgen !== 'js' || r.readIntervalMs !== 100 || r.tag !== 'sweep') continue;
    const k = `${r.server} ${r.protocol}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  for (const g of groups.values()) g.sort((a, b) => a.n - b.n);
  return groups;
}

/** Largest N with >= 99 % keeping up, per group. */
export function maxN(runs) {
  const ok = runs.filter((r) => r.keepUpPct >= 99).map((r) => r.n);
  return ok.length ? Math.max(...ok) : 0;
}

function fanoutRow(r) {
  const l = r.load;
  const probes = r.loadgen === 'js' ? `${f(l.probes.ttfkP50Ms, 0)} / ${f(l.probes.ttfkP90Ms, 0)} (${l.probes.n - l.probes.failed}/${l.probes.n})`
    : `${f(l.probe_ttfk_p50_ms, 0)} / ${f(l.probe_ttfk_p90_ms, 0)} (${l.probe_n - l.probe_fail}/${l.probe_n})`;
  const lgCpu = r.loadgen === 'js' ? f(l.loadgenCpuPct, 0) : '–';
  const agg = r.loadgen === 'js' ? l.aggMbps : l.agg_mbps;
  return `| ${r.server} | ${r.protocol} | ${r.loadgen}${r.readIntervalMs ? ` ${r.readIntervalMs} ms` : ' arrival'} | ${r.n} | ${f(r.keepUpPct, 1)} | ${f(agg, 0)} | ${f(r.cpuPct, 0)} | ${f(r.cpuSPerGB, 2)} | ${f(r.rssMB, 0)} | ${f(r.rssPerViewerKB, 1)} | ${probes} | ${lgCpu} | ${f(r.machineBusyPct, 0)} |`;
}

const FANOUT_HEAD = `| server | protocol | loadgen | N | keep-up % | Mbit/s | server CPU % | CPU-s/GB | RSS MB | RSS/viewer KB | new viewer TTFK p50/p90 ms (ok/n) | loadgen CPU % | machine busy % (2 cores) |
|---|---|---|---|---|---|---|---|---|---|---|---|---|`;

/** The whole markdown section. */
export function tables(results) {
  const out = [];
  const groups = sweepGroups(results);
  out.push('### Fan-out sweep (JS loadgen, viewers read every 100 ms, one fresh server per row)\n', FANOUT_HEAD);
  for (const g of groups.values()) for (const r of g) out.push(fanoutRow(r));
  out.push('\n### Max viewers with ≥ 99 % keeping up\n', '| server | protocol | max N (≥ 99 %) | CPU-s/GB at 1000 | RSS/viewer KB at 1000 |', '|---|---|---|---|---|');
  for (const [k, g] of groups) {
    const at = g.find((r) => r.n === 1000);
    out.push(`| ${k.replace(' ', ' | ')} | ${maxN(g)} | ${f(at?.cpuSPerGB, 2)} | ${f(at?.rssPerViewerKB, 1)} |`);
  }
  const ratios = [];
  for (const [k, g] of groups) {
    if (!k.startsWith('livegate')) continue;
    const proto = k.split(' ')[1];
    for (const [k2, g2] of groups) {
      if (k2.startsWith('livegate') || k2.split(' ')[1] !== proto) continue;
      const a = g.find((r) => r.n === 1000);
      const b = g2.find((r) => r.n === 1000);
      ratios.push(`| ${proto} | livegate / ${k2.split(' ')[0]} | ${f(maxN(g) / (maxN(g2) || NaN), 2)} | ${f(a && b ? a.cpuSPerGB / b.cpuSPerGB : NaN, 2)} | ${f(a && b ? a.rssPerViewerKB / b.rssPerViewerKB : NaN, 2)} |`);
    }
  }
  if (ratios.length) {
    out.push('\n### Ratios measured in the same run (livegate ÷ peer; max N: higher is better, CPU-s/GB and RSS/viewer at N = 1000: lower is better)\n',
      '| protocol | ratio | max N | CPU-s/GB | RSS/viewer |', '|---|---|---|---|---|', ...ratios);
  }
  // issue 6's bars: livegate's HTTP-FLV and RTMP max against nginx-rtmp's RTMP max, HTTP-FLV against node-media-server's
  const mx = (k) => (groups.has(k) ? maxN(groups.get(k)) : NaN);
  const bars = [
    ['livegate httpflv', 'nginx-rtmp rtmp'],
    ['livegate rtmp', 'nginx-rtmp rtmp'],
    ['livegate wsflv', 'nginx-rtmp rtmp'],
    ['livegate httpflv', 'node-media-server httpflv'],
    ['livegate rtmp', 'node-media-server rtmp'],
  ].filter(([a, b]) => groups.has(a) && groups.has(b));
  if (bars.length) {
    out.push('\n### Max viewers across protocols (same run)\n', '| livegate | peer | livegate max N | peer max N | ratio |', '|---|---|---|---|---|');
    for (const [a, b] of bars) out.push(`| ${a} | ${b} | ${mx(a)} | ${mx(b)} | ${f(mx(a) / mx(b), 2)} |`);
  }
  const other = results.runs.filter((r) => r.scenario === 'fanout' && !['sweep', 'allcore', 'nagle', 'saturate'].includes(r.tag));
  if (other.length) {
    out.push('\n### Read pattern and load-generator cross-check (same N, fresh server per row)\n', FANOUT_HEAD);
    for (const r of other) out.push(fanoutRow(r));
  }
  const allCore = results.runs.filter((r) => r.scenario === 'fanout' && r.tag === 'allcore');
  if (allCore.length) {
    out.push('\n### All cores: HTTP-FLV and WS-FLV served by viewer workers (server on every CPU, sharing CPU 1 with the load generator; CPU % of one core, process tree)\n', FANOUT_HEAD);
    for (const r of allCore) out.push(fanoutRow(r));
  }
  const nagle = results.runs.filter((r) => r.scenario === 'fanout' && r.tag === 'nagle');
  if (nagle.length) {
    out.push('\n### Where the kernel sends: TCP_NODELAY vs Nagle on viewer sockets (server CPU vs whole-machine CPU per GB, same run)\n',
      '| server | protocol | N | keep-up % | server CPU % | server CPU-s/GB | loadgen CPU % | machine busy % (2 cores) | machine CPU-s/GB |', '|---|---|---|---|---|---|---|---|---|');
    for (const r of nagle) {
      out.push(`| ${r.server} | ${r.protocol} | ${r.n} | ${f(r.keepUpPct, 1)} | ${f(r.cpuPct, 0)} | ${f(r.cpuSPerGB, 2)} | ${f(r.load.loadgenCpuPct, 0)} | ${f(r.machineBusyPct, 0)} | ${f(r.machineCpuSPerGB, 2)} |`);
    }
  }
  const saturated = results.runs.filter((r) => r.scenario === 'fanout' && r.tag === 'saturate');
  if (saturated.length) {
    out.push(
      `\n### Past saturation: each server held to ${saturated[0].cpuQuotaPct} % of one core (cgroup CPU quota)\n`,
      'Keep-up is viewers receiving ≥ 90 % of the bitrate and of media time; live, ≥ 90 % of media time (a server that skips frames keeps its viewers live with fewer bytes); Jain\'s index of the viewers\' rates is 1 when every viewer got the same; starved: open viewers with ≥ 5 s without a byte; not started: viewers that never got media.\n',
      '| server | protocol | N | keep-up % | live % | viewer Mbit/s min / p10 / p50 | Jain | starved | closed | not started | longest gap ms | server CPU % | RSS MB | RSS growth over the window MB |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of saturated) {
      const m = r.load.viewerMbps;
      out.push(`| ${r.server} | ${r.protocol} | ${r.n} | ${f(r.keepUpPct, 1)} | ${f(r.load.keepMediaTimePct, 1)} | ${f(m.min, 2)} / ${f(m.p10, 2)} / ${f(m.p50, 2)} | ${f(r.load.jain, 3)} | ${r.load.starved ?? '–'} | ${r.load.closed} | ${r.load.viewers - r.load.gotMedia} | ${f(r.load.readGapMaxMs, 0)} | ${f(r.cpuPct, 0)} | ${f(r.rssMB, 0)} | ${f(r.rssSteadyGrowthMB, 1)} |`);
    }
  }
  const delays = results.runs.filter((r) => r.scenario === 'delay');
  if (delays.length) {
    out.push(
      '\n### Server-added delay (publisher write → viewer read of the same video tag)\n',
      'Measured viewers join spread through the background viewers; the last column is each one\'s p50, in join order. Per frame: *first* is the earliest measured viewer\'s delay (publisher → server → first write), *spread* the latest minus the earliest (the server\'s pass over the viewers between).\n',
      '| server | protocol | background viewers | background reads | tags matched | p50 ms | p90 ms | p99 ms | max ms | first p50 / p99 ms | spread p50 / p99 ms | keyframes / others p99 ms | p50 by join order ms |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    /** Two figures as "a / b", or empty for a run recorded before the per-frame split. */
    const pair = (/** @type {number|undefined} */ a, /** @type {number|undefined} */ b) => (a === undefined ? '' : `${f(a, 2)} / ${f(b, 2)}`);
    for (const r of delays) {
      const byJoin = r.loadN > 0 && r.byJoin ? r.byJoin.map((/** @type {{ p50Ms: number }} */ b) => f(b.p50Ms, 1)).join(' ') : '';
      const reads = r.loadN > 0 ? (r.bgReadMs === 0 ? 'as data arrives' : `every ${r.bgReadMs ?? 100} ms`) : '';
      out.push(`| ${r.server} | ${r.protocol} | ${r.loadN} | ${reads} | ${r.matched} | ${f(r.p50Ms, 2)} | ${f(r.p90Ms, 2)} | ${f(r.p99Ms, 2)} | ${f(r.maxMs, 2)} | ${pair(r.firstP50Ms, r.firstP99Ms)} | ${pair(r.spreadP50Ms, r.spreadP99Ms)} | ${pair(r.keyframeP99Ms, r.otherP99Ms)} | ${byJoin} |`);
    }
  }
  const glass = results.runs.filter((r) => r.scenario === 'glass');
  if (glass.length) {
    out.push('\n### Glass-to-glass in headless Chromium (clock painted into frames → read back from presented frames)\n', '| server | page | frames read | p50 ms | p90 ms | min ms | max ms |', '|---|---|---|---|---|---|---|');
    for (const r of glass) out.push(`| ${r.server} | ${r.page} | ${r.frames} | ${f(r.p50Ms, 0)} | ${f(r.p90Ms, 0)} | ${f(r.minMs, 0)} | ${f(r.maxMs, 0)} |`);
  }
  const ing = results.runs.filter((r) => r.scenario === 'ingest');
  if (ing.length) {
    out.push('\n### Ingest throughput (one ffmpeg publisher, no -re, no viewers)\n', '| server | MB/s | × real time | server CPU % | CPU-s/GB | machine busy % |', '|---|---|---|---|---|---|');
    for (const r of ing) out.push(`| ${r.server} | ${f(r.MBps)} | ${f(r.mediaSpeedX)} | ${f(r.serverCpuPct, 0)} | ${f(r.serverCpuSPerGB, 3)} | ${f(r.machineBusyPct, 0)} |`);
  }
  const hls = results.runs.filter((r) => r.scenario === 'hls');
  if (hls.length) {
    out.push('\n### HLS cost (10 real-time publishers; HLS on vs off)\n', '| server | CPU % HLS off | CPU % HLS on | CPU % per stream for HLS | playlist check |', '|---|---|---|---|---|');
    for (const r of hls) out.push(`| ${r.server} | ${f(r.off.cpuPct)} | ${f(r.on.cpuPct)} | ${f(r.hlsCpuPctPerStream, 2)} | ${r.on.playlist ? `HTTP ${r.on.playlist.status}, ${r.on.playlist.segments} segments` : '–'} |`);
  }
  const prof = results.runs.find((r) => r.scenario === 'profile');
  if (prof?.profile) {
    out.push(`\n### livegate CPU profile (${prof.protocol}, N = ${prof.n}, ${f(prof.cpuPct, 0)} % CPU, keep-up ${f(prof.keepUpPct)} %): top self time\n`, '| function | self % |', '|---|---|');
    for (const t of prof.profile.top) out.push(`| \`${t.fn}\` | ${f(t.selfPct)} |`);
  }
  return out.join('\n');
}

/** SVG line chart: viewers (x) vs server CPU % of one core (y), one line per server and protocol. */
export function chart(results) {
  const groups = [...sweepGroups(results)];
  const W = 720, H = 420, L = 60, R = 200, T = 30, B = 50;
  const xs = groups.flatMap(([, g]) => g.map((r) => r.n));
  const xMax = Math.max(1000, ...xs);
  const yMax = 110;
  const X = (n) => L + (n / xMax) * (W - L - R);
  const Y = (c) => H - B - (Math.min(c, yMax) / yMax) * (H - T - B);
  const s = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="18" font-size="14">Server CPU (% of one core) vs concurrent viewers (2.65 Mb/s stream, read every 100 ms)</text>`];
  for (let c = 0; c <= 100; c += 20) s.push(`<line x1="${L}" x2="${W - R}" y1="${Y(c)}" y2="${Y(c)}" stroke="#ddd"/><text x="${L - 8}" y="${Y(c) + 4}" text-anchor="end">${c}</text>`);
  const step = xMax > 2000 ? 1000 : 500;
  for (let n = 0; n <= xMax; n += step) s.push(`<line x1="${X(n)}" x2="${X(n)}" y1="${T}" y2="${H - B}" stroke="#eee"/><text x="${X(n)}" y="${H - B + 16}" text-anchor="middle">${n}</text>`);
  s.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">viewers</text>`, `<text x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">server CPU %</text>`);
  groups.forEach(([k, g], i) => {
    const c = COLORS[i % COLORS.length];
    s.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${g.map((r) => `${X(r.n).toFixed(1)},${Y(r.cpuPct).toFixed(1)}`).join(' ')}"/>`);
    for (const r of g) s.push(`<circle cx="${X(r.n).toFixed(1)}" cy="${Y(r.cpuPct).toFixed(1)}" r="${r.keepUpPct >= 99 ? 3.5 : 5}" fill="${r.keepUpPct >= 99 ? c : 'white'}" stroke="${c}" stroke-width="2"/>`);
    s.push(`<line x1="${W - R + 15}" x2="${W - R + 35}" y1="${T + 20 + i * 20}" y2="${T + 20 + i * 20}" stroke="${c}" stroke-width="2"/><text x="${W - R + 40}" y="${T + 24 + i * 20}">${k}</text>`);
  });
  s.push(`<text x="${W - R + 15}" y="${T + 40 + groups.length * 20}">hollow: &lt; 99 % kept up</text>`, '</svg>');
  return s.join('\n');
}

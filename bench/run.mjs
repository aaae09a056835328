#!/usr/bin/env node
/**
 * livegate's benchmark against its peers, on this machine, in one run (see bench/BENCHMARKS.md):
 *   npm run bench [-- --scenarios fanout,readmode,crosscheck,delay,allcore,nagle,saturate,glass,ingest,hls,profile] [--servers livegate,nginx,nms]
 *                 [--n 100,500,1000,2000,3000,4000] [--steady S] [--out FILE]
 *   npm run bench:smoke [-- --servers livegate]     every scenario cut to seconds (N = 20), result in bench/tmp/
 * Servers run on CPU 0; ffmpeg, the load generator and this runner on CPU 1. Loopback only.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { ensureAsset, readFlv } from './lib/asset.mjs';
import { chart, maxN, sweepGroups, tables } from './lib/report.mjs';
import { CLIENT_CPU, ROOT, TMP, peerAvailability } from './lib/servers.mjs';
import { buildCLoadgen, delay, fanout, hlsCost, ingest, profileLivegate } from './lib/scenarios.mjs';
import { glass, glassAvailability } from './lib/glass.mjs';
import { cpuQuota, cpuQuotaAvailability } from './lib/cpu-quota.mjs';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`usage: node bench/run.mjs [--smoke] [--scenarios fanout,readmode,crosscheck,delay,allcore,nagle,saturate,glass,ingest,hls,profile]
         [--servers livegate,nginx,nms] [--n 100,500,1000,2000,3000,4000] [--n-cap 8000] [--steady S] [--workers N] [--dump DIR]
         [--quota PCT] [--saturate-n 1000,2000,4000] [--saturate-workers 2] [--out FILE.json]
       node bench/run.mjs --report OUT_PREFIX RESULT.json [RESULT.json ...]
`);
  process.exit(0);
}
if (argv[0] === '--report') {
  // node bench/run.mjs --report OUT_BASE RESULTS.json...: one set of tables + chart from several result files
  const files = argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const merged = { ...files[0], runs: files.flatMap((f) => f.runs) };
  writeFileSync(`${argv[1]}.md`, `${tables(merged)}\n`);
  writeFileSync(`${argv[1]}.svg`, chart(merged));
  process.exit(0);
}
const arg = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : def;
};
const smoke = argv.includes('--smoke');
const steadyS = Number(arg('--steady', smoke ? '2' : '10'));
// the smoke (CI) runs every scenario that needs no compiler, each cut to seconds
const scenarios = arg('--scenarios', smoke ? 'fanout,delay,allcore,nagle,saturate,glass,ingest,hls' : 'fanout,readmode,crosscheck,delay,allcore,nagle,saturate,glass,ingest,hls,profile').split(',');
const wanted = arg('--servers', 'livegate,nginx,nms').split(',');
const sweepN = arg('--n', smoke ? '20' : '100,500,1000,2000,3000,4000').split(',').map(Number);
/** Past the sweep, N grows by 1000 while every viewer keeps up, up to this (the fd limit is 20,000; the JS loadgen tops out first). */
const capN = Number(arg('--n-cap', argv.includes('--n') ? '0' : '8000')); // an explicit --n list is run as given
const out = arg('--out', smoke ? join(TMP, 'smoke-result.json') : join(ROOT, 'bench/results', `run-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.json`));
const log = (s) => process.stderr.write(`bench: ${s}\n`);
/** `--dump DIR`: every delay run also writes its samples (each published tag, each viewer's match) to DIR. */
const dumpDir = arg('--dump', '');
const delayRun = (/** @type {Parameters<typeof delay>[0]} */ o) => delay({ ...o, dumpDir });

// the runner sits on the client core with the load generator and ffmpeg
try {
  execFileSync('taskset', ['-pc', String(CLIENT_CPU), String(process.pid)], { stdio: 'ignore' });
} catch {
  log(`could not pin the runner to CPU ${CLIENT_CPU}`);
}

const avail = await peerAvailability();
const servers = /** @type {('livegate'|'nginx'|'nms')[]} */ (wanted.filter((s) => {
  if (!(s in avail)) throw new Error(`unknown server ${s} (livegate, nginx, nms)`);
  if (avail[s]) log(`skipping ${s}: ${avail[s]}`);
  return !avail[s];
}));
for (const s of ['livegate', 'nginx', 'nms']) if (!wanted.includes(s)) log(`${s} not requested (--servers)`);
if (!servers.includes('livegate')) throw new Error(`livegate is required: ${avail.livegate}`);

const asset = ensureAsset(smoke ? 6 : 60);
const flv = readFlv(asset);
const kbps = flv.kbps;
const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
const results = {
  started: new Date().toISOString(),
  command: `node bench/run.mjs ${argv.join(' ')}`.trim(),
  machine: { nproc: cpus().length, cpuModel, kernel: release(), node: process.version, loadavgAtStart: readFileSync('/proc/loadavg', 'utf8').trim() },
  asset: { path: asset.replace(ROOT, ''), kbps, durationMs: flv.durationMs },
  servers: Object.fromEntries(Object.entries(avail).map(([k, v]) => [k, v ? `absent: ${v}` : wanted.includes(k) ? 'present' : 'not requested'])),
  runs: /** @type {any[]} */ ([]),
  errors: /** @type {string[]} */ ([]),
};
mkdirSync(join(out, '..'), { recursive: true });
const save = () => writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);

/** Runs one step, records its result or its error (a failing step never stops the others). */
async function step(label, fn, tag) {
  log(`${label} ...`);
  try {
    const r = await fn();
    if (tag) r.tag = tag;
    results.runs.push(r);
    const s = r.scenario === 'fanout' ? `keep-up ${r.keepUpPct} %, server CPU ${r.cpuPct} %, ${r.cpuSPerGB} CPU-s/GB, RSS ${r.rssMB} MB` : JSON.stringify(r).slice(0, 300);
    log(`${label}: ${s}`);
    save();
    return r;
  } catch (e) {
    const msg = `${label}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
    log(msg);
    results.errors.push(msg);
    save();
    return undefined;
  }
}

/** [server, protocol] pairs each server offers (nginx-rtmp has no HTTP-FLV; node-media-server v4 no WS-FLV). */
const targets = [];
for (const s of servers) for (const p of s === 'livegate' ? ['httpflv', 'wsflv', 'rtmp'] : s === 'nginx' ? ['rtmp'] : ['httpflv', 'rtmp']) targets.push([s, p]);
const common = { asset, kbps, steadyS, settleS: smoke ? 1 : 3 };

if (scenarios.includes('fanout')) {
  for (const [server, protocol] of targets) {
    const done = [];
    for (const n of sweepN) {
      const r = await step(`fanout ${server} ${protocol} N=${n}`, () => fanout({ ...common, server, protocol, n }), 'sweep');
      if (r) done.push(r);
      if (r && r.keepUpPct < 90) break; // larger N would only fail too
    }
    if (smoke) continue;
    // everything kept up: go on in steps of 1000 until something does not (or the cap)
    for (let n = Math.max(...sweepN) + 1000; n <= capN && done.length > 0 && done.every((r) => r.keepUpPct >= 99); n += 1000) {
      const r = await step(`fanout ${server} ${protocol} N=${n} (beyond the sweep)`, () => fanout({ ...common, server, protocol, n }), 'sweep');
      if (!r) break;
      done.push(r);
    }
    // refine the max N (>= 99 % keeping up) between the last passing and the first failing N
    let lo = maxN(done);
    let hi = Math.min(...done.filter((r) => r.keepUpPct < 99).map((r) => r.n));
    for (let i = 0; i < 2 && Number.isFinite(hi) && hi - lo > 200; i++) {
      const mid = Math.round((lo + hi) / 200) * 100;
      const r = await step(`fanout ${server} ${protocol} N=${mid} (max-N search)`, () => fanout({ ...common, server, protocol, n: mid }), 'sweep');
      if (!r) break;
      if (r.keepUpPct >= 99) lo = mid;
      else hi = mid;
    }
  }
}
if (scenarios.includes('readmode')) {
  for (const [server, protocol] of targets) {
    await step(`fanout ${server} ${protocol} N=1000 read as data arrives`, () => fanout({ ...common, server, protocol, n: 1000, interval: 0 }), 'readmode');
  }
}
if (scenarios.includes('crosscheck')) {
  const built = await step('build the C loadgen', async () => ({ scenario: 'build', path: buildCLoadgen().replace(ROOT, '') }));
  if (built) {
    for (const [server, protocol] of targets.filter(([s, p]) => p !== 'wsflv' && !(s === 'livegate' && p === 'rtmp'))) {
      // both read patterns: every 100 ms, and as data arrives (-i 0 in the C tool)
      for (const interval of [100, 0]) {
        const how = interval ? '' : ' read as data arrives';
        await step(`fanout ${server} ${protocol} N=1000 C loadgen${how}`, () => fanout({ ...common, server, protocol, n: 1000, loadgen: 'c', interval }), 'crosscheck');
        await step(`fanout ${server} ${protocol} N=1000 JS loadgen${how}`, () => fanout({ ...common, server, protocol, n: 1000, interval }), 'crosscheck');
      }
    }
  }
}
if (scenarios.includes('delay')) {
  for (const [server, protocol] of targets) {
    // (the smoke with a small background: its measured viewers join between background viewers)
    for (const loadN of smoke ? [20] : [0, 1000, 3000]) {
      await step(`delay ${server} ${protocol} background=${loadN}`, () => delayRun({ server, protocol, flv, kbps, loadN, ...(smoke ? { seconds: 3 } : {}) }));
    }
    // the background reading as data arrives (at 3,000 such a load generator would fill the client core itself)
    const loadN = smoke ? 20 : 1000;
    if (!smoke || protocol === 'httpflv') {
      await step(`delay ${server} ${protocol} background=${loadN} read as data arrives`, () => delayRun({ server, protocol, flv, kbps, loadN, bgReadMs: 0, ...(smoke ? { seconds: 3 } : {}) }));
    }
  }
  if (!smoke && servers.includes('livegate')) {
    // like for like with nginx-rtmp and node-media-server, which leave Nagle on: livegate with Nagle on too
    for (const bgReadMs of [100, 0]) {
      await step(`delay livegate-nagle httpflv background=1000 reads=${bgReadMs}`, () => delayRun({ server: 'livegate', protocol: 'httpflv', flv, kbps, loadN: 1000, bgReadMs, serverOpts: { nagle: true } }));
    }
  }
}
if (scenarios.includes('allcore')) {
  // livegate on every core: HTTP-FLV and WS-FLV viewers served by viewers.workers processes, the server
  // allowed on all CPUs (on a 2-core machine it shares CPU 1 with the load generator). Figures of the process tree.
  const workers = Number(arg('--workers', String(Math.max(2, cpus().length))));
  const serverOpts = { workers, cpus: `0-${cpus().length - 1}` };
  const name = `livegate-${workers}w`;
  for (const protocol of ['httpflv', 'wsflv']) {
    for (const loadN of smoke ? [0] : [0, 1000, 3000]) {
      await step(`delay ${name} ${protocol} background=${loadN}`, () => delayRun({ server: 'livegate', protocol, flv, kbps, loadN, serverOpts, ...(smoke ? { seconds: 3 } : {}) }), 'allcore');
    }
    for (const n of smoke ? sweepN : [1000, 2000, 4000, 8000]) {
      await step(`fanout ${name} ${protocol} N=${n}`, () => fanout({ ...common, server: 'livegate', protocol, n, serverOpts }), 'allcore');
    }
  }
}
if (scenarios.includes('nagle')) {
  // Where the kernel does the sending: the same fan-out with viewer sockets on TCP_NODELAY (livegate's
  // default) and with Nagle's algorithm on (livegate-nagle; nginx-rtmp never sets TCP_NODELAY). With Nagle a
  // write's tail waits for the viewer's ACK and is sent from the ACK's softirq, on loopback often on the
  // client's core: the server's own CPU drops, the machine's does not. Server and machine CPU per GB, same run.
  const rows = [['livegate', 'httpflv', {}], ['livegate', 'httpflv', { nagle: true }], ['livegate', 'wsflv', {}], ['livegate', 'wsflv', { nagle: true }],
    ['livegate', 'rtmp', {}], ['livegate', 'rtmp', { nagle: true }],
    ...(servers.includes('nginx') ? [['nginx', 'rtmp', {}]] : [])];
  for (const n of smoke ? [20] : [1000, 2000, 3000]) {
    for (const [server, protocol, serverOpts] of smoke ? rows.filter(([, , o]) => o.nagle) : rows) {
      const name = serverOpts.nagle ? `${server}-nagle` : server;
      await step(`fanout ${name} ${protocol} N=${n}`, () => fanout({ ...common, server, protocol, n, serverOpts }), 'nagle');
    }
  }
  for (const loadN of smoke ? [0] : [0, 1000, 3000]) {
    await step(`delay livegate-nagle httpflv background=${loadN}`, () => delayRun({ server: 'livegate', protocol: 'httpflv', flv, kbps, loadN, serverOpts: { nagle: true }, ...(smoke ? { seconds: 3 } : {}) }), 'nagle');
  }
  if (!smoke) {
    // and with the viewer workers on every core (as the allcore scenario)
    const serverOpts = { workers: Math.max(2, cpus().length), cpus: `0-${cpus().length - 1}`, nagle: true };
    for (const loadN of [1000, 3000]) {
      await step(`delay livegate-${serverOpts.workers}w-nagle httpflv background=${loadN}`, () => delayRun({ server: 'livegate', protocol: 'httpflv', flv, kbps, loadN, serverOpts }), 'nagle');
    }
  }
}
if (scenarios.includes('saturate')) {
  // Past saturation: each server limited to --quota % of one core (a cgroup), N viewers beyond what that
  // carries. Who still keeps up, how evenly the bytes are shared (Jain's index, the poorest viewers' rates),
  // who starves (5 s without a byte), who is disconnected, and whether memory grows while it lasts.
  const why = cpuQuotaAvailability();
  if (why) log(`skipping saturate: ${why}`);
  else {
    const pct = Number(arg('--quota', smoke ? '50' : '25'));
    const ns = smoke ? [20] : arg('--saturate-n', '1000,2000,4000').split(',').map(Number);
    // and livegate with its HTTP-FLV / WS-FLV viewers in worker processes: the same quota for the main process and its workers
    const workers = Number(arg('--saturate-workers', smoke ? '0' : '2'));
    /** @type {[string, string, { workers?: number }][]} */
    const rows = (smoke ? targets.filter(([s, p]) => s === 'livegate' && p === 'httpflv') : targets).map(([s, p]) => [s, p, {}]);
    if (workers > 0 && servers.includes('livegate')) for (const p of ['httpflv', 'wsflv']) rows.push(['livegate', p, { workers }]);
    for (const [server, protocol, opts] of rows) {
      for (const n of ns) {
        const quota = cpuQuota(pct);
        try {
          const name = opts.workers ? `${server}-${opts.workers}w` : server;
          await step(`saturate ${name} ${protocol} N=${n} quota=${pct}%`, () => fanout({ ...common, steadyS: smoke ? 2 : 20, server, protocol, n, serverOpts: { ...opts, cgroup: quota.procs }, cpuQuotaPct: pct }), 'saturate');
        } finally {
          quota.remove();
        }
      }
    }
  }
}
if (scenarios.includes('glass')) {
  const why = glassAvailability();
  if (why) log(`skipping glass-to-glass: ${why}`);
  else {
    const pages = [...(servers.includes('livegate') ? (smoke ? ['player-flv'] : ['player-flv', 'player-ws', 'player-hls', 'flvjs']).map((p) => ['livegate', p]) : []),
      ...(servers.includes('nms') ? [['nms', 'flvjs']] : [])];
    for (const [server, page] of pages) {
      await step(`glass ${server} ${page}`, () => glass({ server, page, ...(smoke ? { warmS: 2, measureS: 3 } : {}) }));
    }
  }
}
if (scenarios.includes('ingest')) for (const server of servers) await step(`ingest ${server}`, () => ingest({ server, asset, ...(smoke ? { loops: 1 } : {}) }));
if (scenarios.includes('hls')) {
  for (const server of servers.filter((s) => s !== 'nms')) {
    await step(`hls ${server}`, () => hlsCost({ server, asset, ...(smoke ? { streams: 2, warmS: 4, windowS: 2 } : {}) }));
  }
}
if (scenarios.includes('profile')) await step('profile livegate httpflv N=1000', () => profileLivegate({ protocol: 'httpflv', n: 1000, asset, kbps }));

results.finished = new Date().toISOString();
results.machine.loadavgAtEnd = readFileSync('/proc/loadavg', 'utf8').trim();
save();
if (!smoke) {
  writeFileSync(out.replace(/\.json$/, '.md'), `${tables(results)}\n`);
  if (sweepGroups(results).size > 0) writeFileSync(out.replace(/\.json$/, '.svg'), chart(results)); // (the chart plots the sweep)
}
log(`results: ${out}${results.errors.length ? ` (${results.errors.length} step(s) failed)` : ''}`);
process.exit(results.errors.length ? 1 : 0);

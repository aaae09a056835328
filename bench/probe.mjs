#!/usr/bin/env node
/**
 * Holds one server under N viewers (asset looped in by ffmpeg, the JS load generator on the client core)
 * and, once the viewers are steady, runs a shell command against the server's pid: the way to look inside
 * a fan-out with perf, strace or ss. `PID` in the command is replaced by the server's pid. Prints the
 * server's CPU % while the command ran, the command's output, and the load generator's keep-up.
 *
 *   node bench/probe.mjs nginx rtmp 1000 'perf stat -e syscalls:sys_enter_sendto,task-clock -p PID -- sleep 10'
 *   node bench/probe.mjs livegate httpflv 1000 'perf record -a -g -o /tmp/lg.data -- sleep 6'
 *   node bench/probe.mjs livegate-nagle httpflv 1000 'ss -tnipH state established | grep -A1 pid=PID, | head'
 */
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { readFlv } from './lib/asset.mjs';
import { sleep, treeUsage } from './lib/procs.mjs';
import { ffmpegPush } from './lib/publisher.mjs';
import { STREAM, startJsLoadgen, waitKeyframe } from './lib/scenarios.mjs';
import { ROOT, STARTERS } from './lib/servers.mjs';

const [name, protocol, nArg, cmd] = process.argv.slice(2);
const n = Number(nArg);
const key = name?.replace(/-nagle$/, '');
if (!key || !(key in STARTERS) || !protocol || !Number.isInteger(n) || n < 1 || !cmd) {
  process.stderr.write('usage: node bench/probe.mjs livegate|livegate-nagle|nginx|nms httpflv|wsflv|rtmp N \'command with PID\'\n');
  process.exit(2);
}
const asset = join(ROOT, 'bench/assets/asset.flv');
const { kbps } = readFlv(asset);
const server = await STARTERS[/** @type {keyof typeof STARTERS} */ (key)]({ nagle: name.endsWith('-nagle') });
const pub = ffmpegPush(asset, server.rtmpUrl(STREAM));
let code = 0;
try {
  const play = server.play[/** @type {'httpflv'} */ (protocol)];
  if (!play) throw new Error(`${server.name} does not serve ${protocol}`);
  const url = play(STREAM);
  await waitKeyframe(protocol, url);
  const steadyS = 40;
  /** @type {{ keepUpPct: number, steadyBytes: number } | undefined} */
  let result;
  const lg = startJsLoadgen({
    protocol, url, n, kbps, interval: 100, steadyS, settleS: 3, probeMs: 500,
    onLine: (l) => {
      if (l.startsWith('RESULT ')) result = JSON.parse(l.slice(7));
    },
  });
  await sleep((n / 500 + 5) * 1000); // ramp (500 viewers/s) and settle
  const a = treeUsage(server.pid);
  const t0 = performance.now();
  const out = execSync(cmd.replaceAll('PID', String(server.pid)), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: (steadyS - 10) * 1000 });
  const b = treeUsage(server.pid);
  console.log(`${server.name} ${protocol} N=${n}: server CPU ${((100 * (b.cpu - a.cpu)) / ((performance.now() - t0) / 1000)).toFixed(1)} % while the command ran`);
  console.log(out);
  await lg.exited;
  console.log(`keep-up ${result?.keepUpPct} %`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  code = 1;
} finally {
  await pub.stop();
  await server.stop();
}
process.exit(code);

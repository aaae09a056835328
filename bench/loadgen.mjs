#!/usr/bin/env node
/**
 * livegate's load generator as a process (the runner starts it pinned to the other core):
 *   node bench/loadgen.mjs PROTOCOL URL N BITRATE_KBPS [--interval MS] [--steady S] [--settle S]
 *                          [--ramp PER_S] [--probe MS] [--frac F] [-v]
 * Prints "MARK steady-start", "MARK steady-end" and one "RESULT {json}" line.
 */
import { runLoad } from './lib/loadgen.mjs';

const [protocol, url, n, kbps, ...rest] = process.argv.slice(2);
if (!protocol || !url || !n || !kbps) {
  process.stderr.write('usage: node bench/loadgen.mjs httpflv|wsflv|rtmp URL N BITRATE_KBPS [--interval MS] [--steady S] [--settle S] [--ramp PER_S] [--probe MS] [--frac F] [-v]\n');
  process.exit(2);
}
const opt = (name, def) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : def;
};
const result = await runLoad({
  protocol: /** @type {any} */ (protocol),
  url,
  n: Number(n),
  bitrateKbps: Number(kbps),
  readIntervalMs: opt('--interval', 100),
  steadyS: opt('--steady', 10),
  settleS: opt('--settle', 3),
  rampRate: opt('--ramp', 500),
  probeMs: opt('--probe', 500),
  frac: opt('--frac', 0.9),
  onMark: (m) => process.stdout.write(`MARK ${m}\n`),
  log: rest.includes('-v') ? (l) => process.stderr.write(`${l}\n`) : undefined,
});
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);

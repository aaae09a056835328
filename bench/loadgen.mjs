#!/usr/bin/env node
/**
 * livegate's load generator as a process (the runner starts it pinned to the other core):
 *   node bench/loadgen.mjs PROTOCOL URL N BITRATE_KBPS [--interval MS] [--steady S] [--settle S]
 *                          [--ramp PER_S] [--probe MS] [--frac F] [--hold-at N1,N2,...] [-v]
 * Prints "MARK steady-start", "MARK steady-end" and one "RESULT {json}" line. With --hold-at the ramp
 * stops at each count once those viewers have media, prints "MARK hold COUNT" and waits for a line on stdin.
 */
import { createInterface } from 'node:readline';
import { runLoad } from './lib/loadgen.mjs';

const [protocol, url, n, kbps, ...rest] = process.argv.slice(2);
if (!protocol || !url || !n || !kbps) {
  process.stderr.write('usage: node bench/loadgen.mjs httpflv|wsflv|rtmp URL N BITRATE_KBPS [--interval MS] [--steady S] [--settle S] [--ramp PER_S] [--probe MS] [--frac F] [--hold-at N1,N2,...] [-v]\n');
  process.exit(2);
}
const opt = (name, def) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : def;
};
const holdIdx = rest.indexOf('--hold-at');
const holdAt = holdIdx >= 0 ? rest[holdIdx + 1].split(',').map(Number) : [];
/** @type {((line: string) => void)[]} */
const waiting = [];
if (holdAt.length > 0) createInterface({ input: process.stdin }).on('line', (l) => waiting.shift()?.(l));
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
  holdAt,
  onHold: (count) =>
    new Promise((resolve) => {
      waiting.push(() => resolve());
      process.stdout.write(`MARK hold ${count}\n`);
    }),
  log: rest.includes('-v') ? (l) => process.stderr.write(`${l}\n`) : undefined,
});
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);

#!/usr/bin/env node
/**
 * What one socket write costs on this machine, the floor under any fan-out's per-viewer cost:
 * N loopback viewers reading every 100 ms on CPU 1, a writer on CPU 0 writing SIZE bytes to each every
 * 33 ms, in C (write(2), the kernel's floor) and in Node (socket.write). Prints µs per write (p50/p90 of
 * rounds). usage: node bench/write-cost/run.mjs [N=1000] [SIZES=400,11000]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const tmp = join(here, '../tmp');
mkdirSync(tmp, { recursive: true });
const n = Number(process.argv[2] ?? 1000);
const sizes = (process.argv[3] ?? '400,11000').split(',').map(Number);
const ROUNDS = 200;
const cWriter = join(tmp, 'write-cost-writer');
execFileSync('gcc', ['-O2', '-Wall', '-o', cWriter, join(here, 'writer.c')], { stdio: 'inherit' });

/** Start `argv` pinned to `cpu` with a raised fd limit; `done` resolves with its last stdout line at exit. */
function pinned(cpu, argv, onLine) {
  const p = spawn('prlimit', ['--nofile=20000:20000', 'taskset', '-c', String(cpu), ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = '';
  p.stdout.on('data', (d) => {
    for (const l of d.toString().split('\n').filter(Boolean)) {
      last = l;
      onLine?.(l);
    }
  });
  return { proc: p, done: new Promise((resolve) => p.on('close', () => resolve(last))) };
}

let port = 39500;
const rows = [];
for (const size of sizes) {
  for (const [name, argv] of [
    ['C write(2)', [cWriter]],
    ['Node socket.write', [process.execPath, join(here, 'writer.mjs')]],
  ]) {
    port++;
    let readers;
    const out = await pinned(0, [...argv, String(n), String(port), String(size), String(ROUNDS)], (l) => {
      if (l === 'listening') readers = pinned(1, [process.execPath, join(here, 'reader.mjs'), String(port), String(n), String(ROUNDS * 0.033 + 30)]);
    }).done;
    readers?.proc.kill();
    const r = JSON.parse(out);
    rows.push({ writer: name, viewers: n, bytes: size, usPerWriteP50: r.p50, usPerWriteP90: r.p90, loopMsP50: +((r.p50 * n) / 1000).toFixed(1) });
    console.error(`${name} ${size} B × ${n}: ${r.p50} µs/write p50, ${r.p90} p90`);
    await readers?.done;
  }
}
console.log(JSON.stringify({ machine: process.version, rows }, null, 1));

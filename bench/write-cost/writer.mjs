// The same fan-out loop in Node: socket.write of one shared Buffer to each of N sockets every 33 ms.
// usage: node writer.mjs N PORT SIZE ROUNDS
import net from 'node:net';
const [n, port, size, rounds] = process.argv.slice(2).map(Number);
const socks = [];
const buf = Buffer.alloc(size, 7);
const srv = net.createServer((s) => {
  s.setNoDelay(true);
  s.on('error', () => {});
  socks.push(s);
  if (socks.length === n) run();
});
srv.listen(port, '127.0.0.1', () => console.log('listening'));
function run() {
  const per = [];
  let k = 0;
  const iv = setInterval(() => {
    const t0 = process.hrtime.bigint();
    for (const s of socks) s.write(buf);
    per.push(Number(process.hrtime.bigint() - t0) / n / 1000);
    if (++k < rounds) return;
    clearInterval(iv);
    const w = per.slice(Math.floor(rounds / 10)).sort((a, b) => a - b);
    console.log(JSON.stringify({ p50: +w[w.length >> 1].toFixed(2), p90: +w[Math.floor(w.length * 0.9)].toFixed(2) }));
    process.exit(0);
  }, 33);
}

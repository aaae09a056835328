// N loopback viewers that read every 100 ms (as buffering players do), for `seconds`.
// usage: node reader.mjs PORT N SECONDS
import net from 'node:net';
const [port, n, seconds] = process.argv.slice(2).map(Number);
const socks = [];
for (let i = 0; i < n; i++) {
  const s = net.connect(port, '127.0.0.1');
  s.on('error', () => {});
  s.pause();
  socks.push(s);
}
setInterval(() => {
  for (const s of socks) {
    s.resume();
    setImmediate(() => s.pause());
  }
}, 100);
setTimeout(() => process.exit(0), seconds * 1000);

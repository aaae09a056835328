/** node-media-server v4 on 127.0.0.1 (argv: RTMP port, HTTP port), started by the benchmark runner. */
const mod = await import('node-media-server');
const NodeMediaServer = mod.default ?? mod;
const [rtmpPort, httpPort] = process.argv.slice(2).map(Number);
const nms = new NodeMediaServer({
  bind: '127.0.0.1',
  rtmp: { port: rtmpPort, chunk_size: 60000, gop_cache: true, ping: 30, ping_timeout: 60 },
  http: { port: httpPort, allow_origin: '*' },
});
nms.run();
process.on('SIGTERM', () => process.exit(0));

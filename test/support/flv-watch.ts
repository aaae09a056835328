import net from 'node:net';

/**
 * An HTTP-FLV viewer on a raw socket that decodes chunked transfer and walks FLV tags, keeping
 * video timestamps: the largest gap between consecutive video tags tells whether it saw a gap.
 */
export function watchFlv(port: number, path: string) {
  const sock = net.connect(port, '127.0.0.1');
  sock.on('error', () => {});
  sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  let buf = Buffer.alloc(0);
  let body = Buffer.alloc(0);
  let headerDone = false;
  let flvHeaderSkipped = false;
  const state = { status: '', videoTags: 0, firstTs: -1, lastTs: -1, maxGapMs: 0, lastAt: 0, ended: false };
  sock.on('close', () => (state.ended = true));
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    if (!headerDone) {
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      state.status = buf.subarray(0, buf.indexOf('\r\n')).toString();
      buf = buf.subarray(i + 4);
      headerDone = true;
    }
    for (;;) {
      const eol = buf.indexOf('\r\n');
      if (eol < 0) break;
      const size = parseInt(buf.subarray(0, eol).toString(), 16);
      if (buf.length < eol + 2 + size + 2) break;
      body = Buffer.concat([body, buf.subarray(eol + 2, eol + 2 + size)]);
      buf = buf.subarray(eol + 2 + size + 2);
    }
    let off = 0;
    if (!flvHeaderSkipped) {
      if (body.length < 13) return;
      off = 13;
      flvHeaderSkipped = true;
    }
    while (body.length - off >= 11) {
      const size = body.readUIntBE(off + 1, 3);
      if (body.length - off < 11 + size + 4) break;
      if (body[off] === 9 && size > 1 && body[off + 12] === 1) {
        // AVC NALU packets only (not the sequence header)
        const ts = (body.readUIntBE(off + 4, 3) | (body[off + 7]! << 24)) >>> 0;
        if (state.lastTs >= 0) state.maxGapMs = Math.max(state.maxGapMs, ts - state.lastTs);
        else state.firstTs = ts;
        state.lastTs = ts;
        state.videoTags++;
        state.lastAt = Date.now();
      }
      off += 11 + size + 4;
    }
    body = body.subarray(off);
  });
  return { state, close: () => sock.destroy() };
}

import { createWriteStream } from 'node:fs';
import WebSocket from 'ws';

/** A small WS-FLV client: writes every binary message to `file` until the server closes (or `timeoutMs`). */
export function recordWsFlv(url: string, file: string, timeoutMs = 60_000): Promise<{ bytes: number; closeCode: number }> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    const ws = new WebSocket(url);
    let bytes = 0;
    const timer = setTimeout(() => ws.terminate(), timeoutMs);
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return;
      bytes += data.length;
      out.write(data);
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      out.end(() => resolve({ bytes, closeCode: code }));
    });
  });
}

import type { Socket } from 'node:net';
import type { FlvOutput } from './flv-fanout.js';

/**
 * HTTP-FLV output: the response head is written by hand and the chunked body (framed once per
 * batch by the fan-out) goes straight to the socket: one write per batch per viewer.
 */
export function httpOutput(socket: Socket, corsOrigin: string, noDelay: boolean): FlvOutput {
  socket.setNoDelay(noDelay);
  let head: string | undefined =
    'HTTP/1.1 200 OK\r\ncontent-type: video/x-flv\r\ncache-control: no-cache, no-store\r\ntransfer-encoding: chunked\r\n' +
    `access-control-allow-origin: ${corsOrigin}\r\nconnection: close\r\n\r\n`;
  return {
    write: (b) => {
      if (socket.destroyed) return;
      if (head !== undefined) {
        socket.write(head); // with the first bytes: a refused start can still answer with an error status
        head = undefined;
      }
      socket.write(b);
    },
    backlog: () => socket.writableLength,
    end: () => {
      if (head === undefined) socket.end('0\r\n\r\n'); // the last chunk: a clean end of the body
      else socket.end();
    },
    destroy: () => socket.destroy(),
  };
}

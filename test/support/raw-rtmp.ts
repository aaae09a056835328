import net from 'node:net';
import { ClientHandshake, encodeAmf0, encodeChunks, MessageType } from '../../packages/ingest/src/index.js';

/** A raw TCP connection to an RTMP server, for hostile-input tests: write anything, see when it closes. */
export interface RawConn {
  sock: net.Socket;
  /** Resolves when the server (or we) closed the socket. */
  closed: Promise<void>;
  write(b: Buffer): void;
}

/** Open a raw TCP connection to 127.0.0.1:`port`. */
export function rawConnect(port: number): Promise<RawConn> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    sock.on('error', () => {});
    sock.once('connect', () => resolve({ sock, closed, write: (b) => void (sock.destroyed || sock.write(b)) }));
    sock.once('error', reject);
  });
}

/** Open a connection and complete a real handshake; the chunk stream is ours to (mis)use. */
export async function rawHandshaken(port: number): Promise<RawConn> {
  const c = await rawConnect(port);
  const hs = new ClientHandshake();
  c.write(hs.start());
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      try {
        const step = hs.push(d);
        for (const b of step.out) c.write(b);
        if (step.done) {
          c.sock.off('data', onData);
          resolve();
        }
      } catch (e) {
        reject(e as Error);
      }
    };
    c.sock.on('data', onData);
    void c.closed.then(() => reject(new Error('closed during the handshake')));
  });
  c.sock.on('data', () => {}); // keep reading server replies so its writes never back up
  return c;
}

/** One AMF0 command message as chunks (csid 3, chunk size 128). */
export function commandChunks(...values: Parameters<typeof encodeAmf0>): Buffer {
  return encodeChunks({ csid: 3, typeId: MessageType.CommandAmf0, streamId: 0, timestamp: 0, payload: encodeAmf0(...values) }, 128);
}

/** A type-0 chunk header on `csid` (< 64) announcing a message of `length` bytes of `typeId`, then `body`. */
export function chunk0(csid: number, typeId: number, length: number, body: Buffer, streamId = 0): Buffer {
  const h = Buffer.alloc(12);
  h[0] = csid & 0x3f;
  h.writeUIntBE(0, 1, 3);
  h.writeUIntBE(length, 4, 3);
  h[7] = typeId;
  h.writeUInt32LE(streamId, 8);
  return Buffer.concat([h, body]);
}

/** A type-0 chunk header with a 3-byte basic header (csid 64..65599): `64 + b1 + b2 * 256`. */
export function chunk0Wide(csid: number, typeId: number, length: number, body: Buffer): Buffer {
  const h = Buffer.alloc(14);
  h[0] = 1; // fmt 0, 3-byte form
  h[1] = (csid - 64) & 0xff;
  h[2] = (csid - 64) >> 8;
  h.writeUIntBE(0, 3, 3);
  h.writeUIntBE(length, 6, 3);
  h[9] = typeId;
  h.writeUInt32LE(0, 10);
  return Buffer.concat([h, body]);
}

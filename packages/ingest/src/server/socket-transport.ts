import type { Socket } from 'node:net';
import type { Transport } from '../session/transport.js';

/** After `end()`, a peer that does not close its side within this time is destroyed. */
const END_GRACE_MS = 2000;

/** Adapts a net/tls socket to a session's Transport. */
export class SocketTransport implements Transport {
  constructor(protected readonly socket: Socket) {}

  /** False when the socket is closed or its buffer is full (the caller may wait for 'drain'). */
  write(data: Buffer): boolean {
    return this.socket.destroyed ? false : this.socket.write(data);
  }

  backlog(): number {
    return this.socket.writableLength;
  }

  end(): void {
    if (this.socket.destroyed) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), END_GRACE_MS).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }

  setNoDelay(noDelay: boolean): void {
    this.socket.setNoDelay(noDelay);
  }
}

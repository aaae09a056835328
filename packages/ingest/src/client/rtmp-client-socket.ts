import net from 'node:net';
import tls from 'node:tls';
import { IngestError } from '../errors.js';
import { SocketTransport } from '../server/socket-transport.js';
import type { ClientTransport } from './client-transport.js';

/** TLS options of an rtmps:// connection (node:tls ConnectionOptions: ca, rejectUnauthorized, servername...). */
export type TlsConnectOptions = tls.ConnectionOptions;

/** Where to connect and how. */
export interface SocketTarget {
  host: string;
  port: number;
  /** rtmps://: TLS with these options (servername defaults to the host). */
  tls: TlsConnectOptions | undefined;
}

/** What the socket reports to the protocol side. */
export interface SocketHandlers {
  data(b: Buffer): void;
  /** Called once when the socket has closed, with the error that closed it, if any. */
  closed(error: Error | undefined): void;
}

/** An open connection: the transport plus a promise that settles when the socket has fully closed. */
export interface ClientSocket {
  transport: ClientTransport;
  closed: Promise<void>;
}

/**
 * Opens a TCP (or TLS) connection for the RTMP client: the only client file that imports node:net
 * / node:tls. Resolves once connected (TLS: once the TLS handshake is done); rejects with
 * ERR_CLIENT_TIMEOUT after `timeoutMs`, or ERR_CLIENT_CLOSED when the connection fails.
 */
export function openClientSocket(target: SocketTarget, handlers: SocketHandlers, timeoutMs: number): Promise<ClientSocket> {
  const where = `${target.host}:${target.port}`;
  const socket: net.Socket = target.tls
    ? tls.connect({ servername: net.isIP(target.host) ? undefined : target.host, ...target.tls, host: target.host, port: target.port })
    : net.connect({ host: target.host, port: target.port });
  socket.setNoDelay(true);
  let error: Error | undefined;
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      handlers.closed(error);
      resolve();
    }),
  );
  socket.on('error', (e) => (error ??= e));
  socket.on('data', (b: Buffer) => handlers.data(b));
  return new Promise<ClientSocket>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new IngestError('ERR_CLIENT_TIMEOUT', `connecting to ${where}: no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    const onFail = () => {
      clearTimeout(timer);
      reject(new IngestError('ERR_CLIENT_CLOSED', `connecting to ${where} failed: ${error?.message ?? 'closed'}`, { cause: error }));
    };
    socket.once('close', onFail);
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('close', onFail);
      resolve({ transport: new SocketClientTransport(socket, closed), closed });
    });
  });
}

/** Adapts a connected socket to ClientTransport: the server's SocketTransport plus flow control. */
class SocketClientTransport extends SocketTransport implements ClientTransport {
  constructor(
    socket: net.Socket,
    private readonly closed: Promise<void>,
  ) {
    super(socket);
  }

  drain(): Promise<void> {
    if (this.socket.destroyed || !this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        resolve();
      };
      this.socket.on('drain', done);
      void this.closed.then(done);
    });
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }
}

/**
 * What the client's protocol side needs from its connection. rtmp-client-socket.ts adapts a
 * net/tls socket to it; tests drive the protocol with an in-memory one.
 */
export interface ClientTransport {
  /** Queue bytes for the server; false once more is queued than the socket's high-water mark (then await drain()). */
  write(data: Buffer): boolean;
  /** Bytes queued and not yet sent. */
  backlog(): number;
  /** Resolves once the queue fell below the high-water mark, or the connection closed. */
  drain(): Promise<void>;
  /** Stop reading from the server (receive-side backpressure: TCP then slows the server down). */
  pause(): void;
  /** Read again after pause(). */
  resume(): void;
  /** Flush what is queued, then close. */
  end(): void;
  /** Close now, dropping what is queued. */
  destroy(): void;
}

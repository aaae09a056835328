/**
 * What a session needs from its connection. The server adapts a net/tls socket to this;
 * tests drive a session with an in-memory one.
 */
export interface Transport {
  /** Queue bytes for the peer (never copies). */
  write(data: Buffer): void;
  /** Bytes queued and not yet sent (socket.writableLength). */
  backlog(): number;
  /** Flush what is queued, then close. */
  end(): void;
  /** Close now, dropping what is queued. */
  destroy(): void;
  /** TCP_NODELAY on (true: every write goes out at once) or off (Nagle: small tails wait for the peer's ACK). */
  setNoDelay?(noDelay: boolean): void;
}

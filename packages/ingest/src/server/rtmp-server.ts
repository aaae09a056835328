import net, { type AddressInfo, type Socket } from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { StreamBus } from '../bus/stream-bus.js';
import { RtmpSession, type AccessCheck, type AccessRequest, type IngestCounters, type RefusalReason, type SessionLimits } from '../session/rtmp-session.js';
import { SocketTransport } from './socket-transport.js';
import { RtmpFanouts } from '../session/rtmp-fanouts.js';

export interface RtmpServerOptions {
  bus: StreamBus;
  logger: Logger;
  limits: SessionLimits;
  /** RTMP + RTMPS connections at once; more are closed on accept (and counted). */
  maxConnections: number;
  /** RTMP + RTMPS connections at once from one IP address (0: no limit). */
  maxConnectionsPerIp?: number;
  /** Access control for publish and play. */
  authorize?: AccessCheck;
  /** A publish or play that was allowed has ended (unpublish / stop callbacks). */
  onAccessEnd?: (req: AccessRequest) => void;
  /** TCP_NODELAY for playing connections (default true; false: Nagle, see SessionOptions.playerNoDelay). */
  playerNoDelay?: boolean;
}

/** Why the server refused or cut a connection: the session's reasons plus the server's own caps. */
export type ServerRefusalReason = RefusalReason | 'rtmp_limit' | 'rtmp_per_ip';

/** How often sessions are checked for handshake and idle timeouts. */
const TICK_MS = 1000;

/**
 * The RTMP and RTMPS listeners. Each accepted socket becomes an RtmpSession; this is the
 * only place in ingest that touches node:net / node:tls.
 */
export class RtmpServer {
  readonly counters: IngestCounters = { connections: 0, handshakeErrors: 0, protocolErrors: 0, publishRefused: 0, bytesIn: 0, bytesOut: 0 };
  /** Connections refused because of maxConnections. */
  refusedConnections = 0;
  /** Connections and requests refused or cut, by reason (for livegate_connections_refused_total). */
  readonly refused: Partial<Record<ServerRefusalReason, number>> = {};
  private readonly live = new Set<RtmpSession>();
  /** Open connections by peer IP address (entries removed at zero). */
  private readonly perIp = new Map<string, number>();
  private readonly servers: net.Server[] = [];
  private nextId = 1;
  private readonly timer: NodeJS.Timeout;

  /** Shared RTMP-play fan-outs of this server's players. */
  private readonly fanouts: RtmpFanouts;

  constructor(private readonly opts: RtmpServerOptions) {
    this.fanouts = new RtmpFanouts(opts.bus);
    this.timer = setInterval(() => {
      const now = performance.now();
      for (const s of this.live) s.tick(now);
    }, TICK_MS);
    this.timer.unref();
  }

  /** Open sessions. */
  sessions(): IterableIterator<RtmpSession> {
    return this.live.values();
  }

  /** Listen for plain RTMP. Resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return this.start(net.createServer({ noDelay: true }, (s) => this.accept(s, 'rtmp')), port, host);
  }

  /** Listen for RTMPS with a PEM certificate chain and key. */
  listenTls(port: number, host: string, cert: string | Buffer, key: string | Buffer): Promise<AddressInfo> {
    const server = tls.createServer({ cert, key, noDelay: true }, (s) => this.accept(s, 'rtmps'));
    server.on('tlsClientError', (err, socket) => {
      this.counters.handshakeErrors++;
      this.opts.logger.warn({ remote: socket.remoteAddress, err: err.message }, 'TLS handshake failed');
    });
    return this.start(server, port, host);
  }

  private start(server: net.Server, port: number, host: string): Promise<AddressInfo> {
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
  }

  /** Open connections from one IP address. */
  connectionsFrom(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  /** Distinct peer addresses with an open connection (a leak check: returns to 0 when all are gone). */
  get peerAddresses(): number {
    return this.perIp.size;
  }

  private countRefused(reason: ServerRefusalReason): void {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
  }

  private accept(socket: Socket, protocol: 'rtmp' | 'rtmps'): void {
    this.opts.bus.pacer.noteAccepted();
    const ip = socket.remoteAddress ?? '?';
    const remoteAddress = `${ip}:${socket.remotePort ?? 0}`;
    if (this.live.size >= this.opts.maxConnections) {
      this.refusedConnections++;
      this.countRefused('rtmp_limit');
      this.opts.logger.warn({ remote: remoteAddress, limit: this.opts.maxConnections }, 'connection refused: at the connection limit');
      socket.destroy();
      return;
    }
    const perIpLimit = this.opts.maxConnectionsPerIp ?? 0;
    const fromIp = this.perIp.get(ip) ?? 0;
    if (perIpLimit > 0 && fromIp >= perIpLimit) {
      this.countRefused('rtmp_per_ip');
      this.opts.logger.warn({ remote: remoteAddress, limit: perIpLimit }, 'connection refused: at the per-IP connection limit');
      socket.destroy();
      return;
    }
    this.perIp.set(ip, fromIp + 1);
    socket.setNoDelay(true);
    const id = `${protocol}-${(this.nextId++).toString(36)}`;
    this.counters.connections++;
    const session = new RtmpSession({
      id,
      remoteAddress,
      protocol,
      bus: this.opts.bus,
      fanouts: this.fanouts,
      transport: new SocketTransport(socket),
      logger: this.opts.logger.child({ conn: id }),
      limits: this.opts.limits,
      counters: this.counters,
      authorize: this.opts.authorize,
      onAccessEnd: this.opts.onAccessEnd,
      playerNoDelay: this.opts.playerNoDelay,
      onRefused: (reason) => this.countRefused(reason),
      onClose: (s) => {
        if (!this.live.delete(s)) return;
        const n = (this.perIp.get(ip) ?? 1) - 1;
        if (n > 0) this.perIp.set(ip, n);
        else this.perIp.delete(ip);
      },
    });
    this.live.add(session);
    socket.on('data', (d: Buffer) => session.receive(d));
    socket.on('error', (err) => session.log.debug({ err: err.message }, 'socket error'));
    socket.on('close', () => session.transportClosed());
  }

  /** Stop accepting and close every session (publishers end their streams). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const closing = this.servers.map((s) => new Promise<void>((r) => s.close(() => r())));
    for (const s of [...this.live]) s.close('server shutting down');
    await Promise.all(closing);
  }
}

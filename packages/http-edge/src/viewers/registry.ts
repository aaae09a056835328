/** Protocols a viewer can watch with. */
export type ViewerProtocol = 'http-flv' | 'ws-flv' | 'rtmp' | 'hls';

/** One viewer as the API and metrics see it. */
export interface ViewerInfo {
  readonly id: string;
  readonly protocol: ViewerProtocol;
  /** `app/stream`. */
  readonly stream: string;
  readonly remoteAddress: string;
  /** Date.now() when the viewer started. */
  readonly startedAt: number;
  /** Bytes sent to this viewer so far. */
  bytesOut(): number;
  /** Frames skipped because this viewer was behind. */
  dropped(): number;
  /** Disconnect this viewer (admin kick, shutdown). */
  close(reason: string): void;
}

/** The HTTP-side viewers (HTTP-FLV, WS-FLV); RTMP players live in the RTMP server. */
export class ViewerRegistry {
  private readonly byId = new Map<string, ViewerInfo>();
  /** Bytes of viewers that have left, by protocol (so totals never go down). */
  readonly bytesOutClosed: Record<ViewerProtocol, number> = { 'http-flv': 0, 'ws-flv': 0, rtmp: 0, hls: 0 };
  private nextId = 1;
  /** Open viewers by remote address (entries removed at zero). */
  private readonly perAddress = new Map<string, number>();

  /** A fresh viewer id, `<prefix>-<n>` (base 36). */
  newId(prefix: string): string {
    return `${prefix}-${(this.nextId++).toString(36)}`;
  }

  add(v: ViewerInfo): void {
    if (this.byId.has(v.id)) return;
    this.byId.set(v.id, v);
    this.perAddress.set(v.remoteAddress, (this.perAddress.get(v.remoteAddress) ?? 0) + 1);
  }

  remove(v: ViewerInfo): void {
    if (!this.byId.delete(v.id)) return;
    this.bytesOutClosed[v.protocol] += v.bytesOut();
    const n = (this.perAddress.get(v.remoteAddress) ?? 1) - 1;
    if (n > 0) this.perAddress.set(v.remoteAddress, n);
    else this.perAddress.delete(v.remoteAddress);
  }

  /** Open viewers from one remote address (for the per-IP limit). */
  countFrom(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  /** Distinct addresses with an open viewer (a leak check: 0 when every viewer is gone). */
  get addresses(): number {
    return this.perAddress.size;
  }

  get(id: string): ViewerInfo | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<ViewerInfo> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }
}

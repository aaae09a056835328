/** continuity_counter per PID (ISO/IEC 13818-1 2.4.3.3): 4 bits, +1 per packet with payload, never a gap. */
export class ContinuityCounters {
  private readonly next = new Map<number, number>();

  /** The counter for the next packet with payload on `pid`, advancing it. */
  take(pid: number): number {
    const cc = this.next.get(pid) ?? 0;
    this.next.set(pid, (cc + 1) & 0x0f);
    return cc;
  }
}

/** Completed segment bytes by name, oldest evicted first once more than `capacity` are held. */
export class SegmentStore {
  readonly capacity: number;
  private readonly byName = new Map<string, Buffer>();
  private total = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Segments held. */
  get count(): number {
    return this.byName.size;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.total;
  }

  /** Stores a segment and evicts the oldest beyond capacity. */
  add(name: string, data: Buffer): void {
    this.byName.set(name, data);
    this.total += data.length;
    for (const [oldName, old] of this.byName) {
      if (this.byName.size <= this.capacity) break;
      this.byName.delete(oldName);
      this.total -= old.length;
    }
  }

  /** The segment's bytes, or undefined once evicted (or never made). */
  get(name: string): Buffer | undefined {
    return this.byName.get(name);
  }
}

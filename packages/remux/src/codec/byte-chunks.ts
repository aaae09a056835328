/** A payload as a list of byte ranges (subarrays, never copies) and their total size, like hls.js PES data. */
export interface ByteChunks {
  readonly parts: Uint8Array[];
  size: number;
}

/** An empty chunk list. */
export function emptyChunks(): ByteChunks {
  return { parts: [], size: 0 };
}

/** Appends `part` to `c` (no copy). */
export function pushChunk(c: ByteChunks, part: Uint8Array): void {
  c.parts.push(part);
  c.size += part.length;
}

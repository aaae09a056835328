/** Counters kept by the HTTP side, read by /metrics. */
export interface EdgeCounters {
  /** HTTP connections and viewers refused, by reason (`not_found`, `viewer_limit`, `http_per_ip`, `unauthorized`, `http_limit`). */
  viewersRefused: Record<string, number>;
  /** HTTP-side viewers closed because they stayed behind. */
  viewersClosedSlow: number;
  /** Chat messages accepted and refused. */
  chatMessages: number;
  chatRefused: number;
}

export function newEdgeCounters(): EdgeCounters {
  return { viewersRefused: {}, viewersClosedSlow: 0, chatMessages: 0, chatRefused: 0 };
}

/** Add one to a reason-keyed counter. */
export function countReason(into: Record<string, number>, reason: string): void {
  into[reason] = (into[reason] ?? 0) + 1;
}

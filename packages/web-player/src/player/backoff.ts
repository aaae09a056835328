/** Reconnect delays: 0.5 s doubling to 5 s, with ±20 % jitter so viewers of a restarted stream do not retry in lockstep. */
export const BACKOFF_FIRST_MS = 500;
export const BACKOFF_MAX_MS = 5000;

/** Delay before retry number `attempt` (0-based). `random` is injectable for tests. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Small pure statistics shared by the harness. */

/** Percentile `p` (0..100) of numbers (nearest rank); NaN when empty. @param {number[]} values @param {number} p */
export function pct(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

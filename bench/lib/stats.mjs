/** Small pure statistics shared by the harness. */

/** `x` to `d` decimals; null when not a finite number (JSON-safe). @param {number} x */
export const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

/** Percentile `p` (0..100) of numbers (nearest rank); NaN when empty. @param {number[]} values @param {number} p */
export function pct(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Jain's fairness index (Σx)² / (n·Σx²); NaN when empty or all zero. @param {number[]} xs */
export function jain(xs) {
  let sum = 0;
  let sq = 0;
  for (const x of xs) (sum += x), (sq += x * x);
  return sq > 0 ? (sum * sum) / (xs.length * sq) : NaN;
}

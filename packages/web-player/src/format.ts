/** Formatting for the stats overlay and the stream list. */

/** 2345678 -> "2.35 Mb/s". */
export function formatBitrate(bps: number | null | undefined): string {
  if (bps == null || !Number.isFinite(bps) || bps <= 0) return '–';
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mb/s`;
  return `${Math.round(bps / 1e3)} kb/s`;
}

/** 3723000 -> "1:02:03", 65000 -> "1:05". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Seconds with one decimal: "1.3 s". */
export function formatSeconds(s: number | undefined): string {
  return s === undefined || !Number.isFinite(s) ? '–' : `${s.toFixed(1)} s`;
}

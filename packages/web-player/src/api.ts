/** The gateway's JSON API as the page uses it. */

export interface StreamInfo {
  app: string;
  stream: string;
  key: string;
  video: { codec: string; width?: number; height?: number; [k: string]: unknown } | null;
  audio: { codec: string; sampleRate?: number; channels?: number; [k: string]: unknown } | null;
  fps: number;
  bitrateIn: number;
  bitrateOut?: number;
  uptimeMs?: number;
  viewers: Record<string, number>;
}

export interface PlayerConfig {
  rtmpPort: number;
  rtmpsPort: number | null;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T | undefined> {
  const res = await fetch(url, { cache: 'no-store', signal });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Every live stream. */
export async function listStreams(signal?: AbortSignal): Promise<StreamInfo[]> {
  const body = await getJson<{ streams: StreamInfo[] }>('/api/streams', signal);
  return body?.streams ?? [];
}

/** One stream, or undefined when it is not live (404). */
export function getStream(app: string, stream: string, signal?: AbortSignal): Promise<StreamInfo | undefined> {
  return getJson<StreamInfo>(`/api/streams/${encodeURIComponent(app)}/${encodeURIComponent(stream)}`, signal);
}

/** What publishers need (the RTMP port); defaults when the gateway does not say. */
export async function getPlayerConfig(): Promise<PlayerConfig> {
  try {
    return (await getJson<PlayerConfig>('/api/player-config')) ?? { rtmpPort: 1935, rtmpsPort: null };
  } catch {
    return { rtmpPort: 1935, rtmpsPort: null };
  }
}

/** Media URLs of a stream on this page's origin. */
export function streamUrls(app: string, stream: string): { flv: string; ws: string; hls: string; chat: string } {
  const a = encodeURIComponent(app);
  const s = encodeURIComponent(stream);
  const wsOrigin = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
  return {
    flv: `${location.origin}/${a}/${s}.flv`,
    ws: `${wsOrigin}/${a}/${s}.flv`,
    hls: `${location.origin}/${a}/${s}/index.m3u8`,
    chat: `${wsOrigin}/${a}/${s}/chat`,
  };
}

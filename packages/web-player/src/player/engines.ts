import type { StreamInfo } from '../api.js';
import { FLV_EDGE, NATIVE_HLS_EDGE, type EdgePolicy } from './live-edge.js';
import type { Protocol } from './protocols.js';

/**
 * One way of feeding the <video>: flv.js (HTTP-FLV or WS-FLV), hls.js, or the browser's own HLS.
 * flv.js and hls.js are loaded on demand (their own chunks), so the list page stays small.
 */
export interface Engine {
  readonly protocol: Protocol;
  /** "flv.js", "hls.js", "native". */
  readonly name: string;
  /** Live-edge policy the page applies, or null when the library keeps the edge itself (hls.js). */
  readonly edge: EdgePolicy | null;
  /** Download speed in bits per second, when the library reports it. */
  downloadBps(): number | undefined;
  /** Latency the library estimates (hls.js: distance to the playlist's live edge), in s. */
  latency(): number | undefined;
  /** Stop loading and detach from the video element. Idempotent. */
  destroy(): void;
}

export interface EngineUrls {
  flv: string;
  ws: string;
  hls: string;
}

/** Why an engine gave up: the page reconnects. */
export type FatalHandler = (reason: string) => void;

/** Create the engine for `protocol` on `video`; `onFatal` is called once when it stops for good. */
export async function createEngine(
  protocol: Protocol,
  video: HTMLVideoElement,
  urls: EngineUrls,
  info: StreamInfo,
  onFatal: FatalHandler,
): Promise<Engine> {
  if (protocol === 'hls') {
    const { default: Hls } = await import('hls.js');
    if (Hls.isSupported()) return hlsJsEngine(Hls, video, urls.hls, onFatal);
    return nativeHlsEngine(video, urls.hls, onFatal);
  }
  return flvEngine(protocol, video, protocol === 'ws' ? urls.ws : urls.flv, info, onFatal);
}

async function flvEngine(protocol: Protocol, video: HTMLVideoElement, url: string, info: StreamInfo, onFatal: FatalHandler): Promise<Engine> {
  const { default: flvjs } = await import('flv.js');
  flvjs.LoggingControl.enableVerbose = false;
  flvjs.LoggingControl.enableDebug = false;
  flvjs.LoggingControl.enableInfo = false;
  const player = flvjs.createPlayer(
    // flv.js waits for a track the header announces; announce only what the stream has.
    { type: 'flv', isLive: true, url, hasAudio: info.audio !== null, hasVideo: info.video !== null },
    {
      enableWorker: false,
      enableStashBuffer: false, // hand every tag to MSE at once: lowest latency
      lazyLoad: false,
      autoCleanupSourceBuffer: true, // a live page stays open for hours: keep the SourceBuffer small
      autoCleanupMaxBackwardDuration: 30,
      autoCleanupMinBackwardDuration: 15,
      deferLoadAfterSourceOpen: false,
    },
  );
  let speedKBps: number | undefined;
  let done = false;
  const fatal = (reason: string) => {
    if (done) return;
    onFatal(reason);
  };
  player.on(flvjs.Events.ERROR, (type: string, detail: string) => fatal(`${type}: ${detail}`));
  player.on(flvjs.Events.LOADING_COMPLETE, () => fatal('stream ended'));
  player.on(flvjs.Events.STATISTICS_INFO, (s: { speed?: number }) => {
    speedKBps = s.speed;
  });
  player.attachMediaElement(video);
  player.load();
  return {
    protocol,
    name: 'flv.js',
    edge: FLV_EDGE,
    downloadBps: () => (speedKBps === undefined ? undefined : speedKBps * 8 * 1024),
    latency: () => undefined,
    destroy() {
      if (done) return;
      done = true;
      try {
        player.pause();
        player.unload();
        player.detachMediaElement();
        player.destroy();
      } catch {
        // a player torn down mid-error can throw from MSE; it is gone either way
      }
    },
  };
}

function hlsJsEngine(Hls: typeof import('hls.js').default, video: HTMLVideoElement, url: string, onFatal: FatalHandler): Engine {
  const hls = new Hls({
    lowLatencyMode: false,
    liveSyncDurationCount: 2, // start two segments from the edge (~4 s with 2 s segments)
    liveMaxLatencyDurationCount: 5, // past five, jump back to the sync point
    maxLiveSyncPlaybackRate: 1.2, // between the two, play a little faster
    backBufferLength: 30,
    manifestLoadingMaxRetry: 2,
    levelLoadingMaxRetry: 2,
    fragLoadingMaxRetry: 3,
  });
  let done = false;
  hls.on(Hls.Events.ERROR, (_e, data) => {
    if (done || !data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
      hls.recoverMediaError(); // decoder hiccup: hls.js recovers without reloading
      return;
    }
    onFatal(`${data.type}: ${data.details}`);
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  return {
    protocol: 'hls',
    name: 'hls.js',
    edge: null,
    downloadBps: () => (Number.isFinite(hls.bandwidthEstimate) ? hls.bandwidthEstimate : undefined),
    latency: () => (Number.isFinite(hls.latency) && hls.latency > 0 ? hls.latency : undefined),
    destroy() {
      if (done) return;
      done = true;
      hls.destroy();
    },
  };
}

function nativeHlsEngine(video: HTMLVideoElement, url: string, onFatal: FatalHandler): Engine {
  let done = false;
  const onError = () => {
    if (!done) onFatal(`native HLS: media error ${video.error?.code ?? '?'}`);
  };
  video.addEventListener('error', onError);
  video.src = url;
  return {
    protocol: 'hls',
    name: 'native',
    edge: NATIVE_HLS_EDGE,
    downloadBps: () => undefined,
    latency: () => undefined,
    destroy() {
      if (done) return;
      done = true;
      video.removeEventListener('error', onError);
      video.removeAttribute('src');
      video.load();
    },
  };
}

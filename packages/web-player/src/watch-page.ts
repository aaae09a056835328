import { getStream, streamUrls, type StreamInfo } from './api.js';
import { ChatPanel } from './chat/chat-panel.js';
import { Danmaku } from './chat/danmaku.js';
import { el, icon, ICON_FULLSCREEN, ICON_MUTED, setText } from './dom.js';
import { formatBitrate, formatSeconds } from './format.js';
import { backoffDelay } from './player/backoff.js';
import { createEngine, type Engine } from './player/engines.js';
import { bufferedEndAt, edgeAction } from './player/live-edge.js';
import { parseProtocol, pickProtocol, PROTOCOL_LABELS, PROTOCOLS, supportedProtocols, type Protocol } from './player/protocols.js';

/** Seconds without progress after which playback counts as stalled and the page reconnects. */
const STALL_S = 8;
/** HLS needs a playlist with a few segments before it starts: more grace at startup. */
const HLS_STARTUP_GRACE_S = 20;
const FLV_STARTUP_GRACE_S = 10;

type PlayerState = 'connecting' | 'playing' | 'offline' | 'reconnecting';

/** What tests (and curious developers) can read on `window.__livegate`. */
export interface LivegateHooks {
  protocol: Protocol;
  engine: string | undefined;
  state: PlayerState;
  /** ms from page start to the first frame of the current engine (undefined before). */
  startupMs: number | undefined;
  reconnects: number;
}

declare global {
  interface Window {
    __livegate?: LivegateHooks;
  }
}

/** The watch page: player, stats overlay, protocol switch, chat and danmaku. */
export function watchPage(root: HTMLElement, app: string, stream: string): void {
  const key = `${app}/${stream}`;
  document.title = `${key} · livegate`;
  const urls = streamUrls(app, stream);

  const video = el('video', 'video', { playsinline: true, autoplay: true, muted: true, 'aria-label': `Live video ${key}` });
  video.muted = true; // the attribute alone is not enough for autoplay policies in every browser
  video.playsInline = true;
  const danmakuLayer = el('div', 'danmaku-layer', { 'aria-hidden': 'true' });
  const statusText = el('span', 'status-text');
  const status = el('div', 'status', { role: 'status' }, [el('span', 'spinner'), statusText]);
  const statsBox = el('div', 'stats-overlay');
  const unmute = el('button', 'unmute', { type: 'button' }, [icon(ICON_MUTED), 'Tap to unmute']);
  const playBtn = el('button', 'play-overlay', { type: 'button', hidden: true }, ['▶ Play']);
  const stage = el('div', 'video-wrap', undefined, [video, danmakuLayer, statsBox, status, unmute, playBtn]);

  const liveBadge = el('span', 'live-badge', { 'data-live': 'false' }, ['OFFLINE']);
  const viewersEl = el('span', 'viewers', { title: 'people in this chat' }, ['– watching']);
  const supported = supportedProtocols(video);
  const switchButtons = new Map<Protocol, HTMLButtonElement>();
  const switcher = el('div', 'proto-switch', { role: 'group', 'aria-label': 'Protocol' });
  for (const p of PROTOCOLS) {
    const b = el('button', 'proto', { type: 'button', 'data-protocol': p, disabled: !supported.has(p) }, [PROTOCOL_LABELS[p]]);
    b.addEventListener('click', () => switchTo(p));
    switchButtons.set(p, b);
    switcher.append(b);
  }
  const danmakuBtn = el('button', 'toggle', { type: 'button', 'aria-pressed': 'true' }, ['Danmaku']);
  // Stats start hidden on phones: the overlay would cover a third of a small video.
  const statsOn = !matchMedia('(max-width: 860px)').matches;
  const statsBtn = el('button', 'toggle', { type: 'button', 'aria-pressed': String(statsOn) }, ['Stats']);
  statsBox.hidden = !statsOn;
  const fullBtn = el('button', 'toggle', { type: 'button', title: 'Fullscreen', 'aria-label': 'Fullscreen' }, [icon(ICON_FULLSCREEN)]);
  const bar = el('div', 'player-bar', undefined, [
    el('div', 'title-row', undefined, [el('h1', 'stream-title', undefined, [key]), liveBadge, viewersEl]),
    el('div', 'control-row', undefined, [switcher, el('div', 'toggles', undefined, [danmakuBtn, statsBtn, fullBtn])]),
  ]);

  const danmaku = new Danmaku(danmakuLayer);
  const chat = new ChatPanel(urls.chat, danmaku, (n) => setText(viewersEl, `${n} watching`));
  root.replaceChildren(el('div', 'watch', undefined, [el('section', 'stage', undefined, [stage, bar]), chat.root]));

  const hooks: LivegateHooks = { protocol: pickProtocol(parseProtocol(new URLSearchParams(location.search).get('protocol')), supported), engine: undefined, state: 'connecting', startupMs: undefined, reconnects: 0 };
  window.__livegate = hooks;

  let engine: Engine | undefined;
  let info: StreamInfo | undefined;
  let generation = 0; // bumps on every (re)start: late callbacks of an old engine are ignored
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let engineStartedAt = 0;
  /** The engine has not yet played from a buffer: its first live-edge check may seek to the edge. */
  let edgeStarting = true;
  let lastTime = -1;
  let lastProgressAt = 0;
  let lastFrames = 0;
  let lastFramesAt = 0;
  let fps = 0;

  const setState = (s: PlayerState, text = '') => {
    hooks.state = s;
    stage.dataset.state = s;
    setText(statusText, text);
    status.hidden = s === 'playing';
    liveBadge.dataset.live = String(s === 'playing');
    setText(liveBadge, s === 'playing' ? 'LIVE' : s === 'offline' ? 'OFFLINE' : '…');
  };

  const stopEngine = () => {
    engine?.destroy();
    engine = undefined;
    hooks.engine = undefined;
    video.playbackRate = 1;
  };

  const retry = (why: PlayerState, text: string) => {
    stopEngine();
    clearTimeout(retryTimer);
    setState(why, text);
    const gen = ++generation;
    retryTimer = setTimeout(() => void start(gen), backoffDelay(attempt++));
  };

  const start = async (gen: number) => {
    if (gen !== generation) return;
    let live: StreamInfo | undefined;
    try {
      live = await getStream(app, stream);
    } catch {
      return retry('reconnecting', 'Gateway unreachable, retrying…');
    }
    if (gen !== generation) return;
    if (!live) return retry('offline', `Waiting for ${key} to go live…`);
    info = live;
    setState('connecting', `Connecting over ${PROTOCOL_LABELS[hooks.protocol]}…`);
    const e = await createEngine(hooks.protocol, video, urls, live, (reason) => {
      if (gen !== generation) return;
      hooks.reconnects++;
      retry('reconnecting', `Reconnecting (${reason})…`);
    });
    if (gen !== generation) {
      e.destroy();
      return;
    }
    engine = e;
    hooks.engine = e.name;
    engineStartedAt = performance.now();
    edgeStarting = true;
    lastTime = -1;
    lastProgressAt = engineStartedAt;
    playVideo();
  };

  const restart = () => {
    stopEngine();
    clearTimeout(retryTimer);
    attempt = 0;
    setState('connecting', 'Connecting…');
    void start(++generation);
  };

  const switchTo = (p: Protocol) => {
    if (!supported.has(p)) return;
    hooks.protocol = p;
    const u = new URL(location.href);
    u.searchParams.set('protocol', p);
    history.replaceState(null, '', u);
    markProtocol();
    restart();
  };

  const markProtocol = () => {
    for (const [p, b] of switchButtons) b.setAttribute('aria-pressed', String(p === hooks.protocol));
  };

  const playVideo = () => {
    const r = video.play();
    if (r) {
      r.then(
        () => {
          playBtn.hidden = true;
        },
        (err: DOMException) => {
          // Autoplay refused (even muted, e.g. data saver): a tap starts it.
          if (err.name === 'NotAllowedError') playBtn.hidden = false;
        },
      );
    }
  };

  video.addEventListener('playing', () => {
    if (!engine) return;
    attempt = 0;
    if (hooks.startupMs === undefined) hooks.startupMs = Math.round(performance.now());
    setState('playing');
  });
  video.addEventListener('ended', () => {
    if (engine) {
      hooks.reconnects++;
      retry('reconnecting', 'Stream ended, waiting for it to return…');
    }
  });
  playBtn.addEventListener('click', () => playVideo());
  unmute.addEventListener('click', () => {
    video.muted = false;
    video.volume = 1;
    unmute.hidden = true;
    if (video.paused) playVideo();
  });
  video.addEventListener('volumechange', () => {
    unmute.hidden = !video.muted;
  });
  danmakuBtn.addEventListener('click', () => {
    danmaku.enabled = !danmaku.enabled;
    danmakuBtn.setAttribute('aria-pressed', String(danmaku.enabled));
    if (!danmaku.enabled) danmaku.clear();
  });
  statsBtn.addEventListener('click', () => {
    statsBox.hidden = !statsBox.hidden;
    statsBtn.setAttribute('aria-pressed', String(!statsBox.hidden));
  });
  fullBtn.addEventListener('click', () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else if (stage.requestFullscreen) void stage.requestFullscreen().catch(() => undefined);
    else (video as HTMLVideoElement & { webkitEnterFullscreen?: () => void }).webkitEnterFullscreen?.(); // iPhone
  });

  // Live edge, stall watchdog and stats: twice a second.
  const tick = () => {
    const now = performance.now();
    if (engine) {
      const end = bufferedEndAt(video.buffered, video.currentTime);
      if (engine.edge && !video.paused && Number.isFinite(end) && video.currentTime > 0) {
        const a = edgeAction(end, video.currentTime, video.playbackRate, engine.edge, edgeStarting);
        edgeStarting = false;
        if (a.kind === 'seek') video.currentTime = a.to;
        else if (a.kind === 'rate') video.playbackRate = a.rate;
      }
      if (video.currentTime !== lastTime) {
        lastTime = video.currentTime;
        lastProgressAt = now;
      } else if (!video.paused || hooks.state !== 'playing') {
        const grace = hooks.state === 'playing' ? STALL_S : engine.protocol === 'hls' ? HLS_STARTUP_GRACE_S : FLV_STARTUP_GRACE_S;
        if (now - lastProgressAt > grace * 1000 && playBtn.hidden) {
          hooks.reconnects++;
          retry('reconnecting', 'Playback stalled, reconnecting…');
        }
      }
      renderStats(end, now);
    } else renderStats(Number.NaN, now);
  };

  const renderStats = (end: number, now: number) => {
    if (statsBox.hidden) return;
    const q = video.getVideoPlaybackQuality?.();
    const frames = q?.totalVideoFrames ?? 0;
    if (now - lastFramesAt >= 1000) {
      fps = lastFramesAt > 0 && frames >= lastFrames ? ((frames - lastFrames) * 1000) / (now - lastFramesAt) : 0;
      lastFrames = frames;
      lastFramesAt = now;
    }
    const buffer = Number.isFinite(end) ? Math.max(0, end - video.currentTime) : undefined;
    const latency = engine?.latency() ?? buffer;
    const res = video.videoWidth ? `${video.videoWidth}×${video.videoHeight}` : info?.video?.width ? `${info.video.width}×${info.video.height}` : '–';
    const rows: Array<[string, string]> = [
      ['protocol', engine ? `${PROTOCOL_LABELS[engine.protocol]} (${engine.name})` : PROTOCOL_LABELS[hooks.protocol]],
      ['latency', `${formatSeconds(latency)}${video.playbackRate !== 1 ? ` ×${video.playbackRate}` : ''}`],
      ['buffer', formatSeconds(buffer)], // FLV: the latency is the buffer; hls.js: the buffer is part of it
      ['bitrate', formatBitrate(info?.bitrateIn ?? engine?.downloadBps())],
      ['resolution', `${res}${fps > 0 ? ` @ ${fps.toFixed(0)} fps` : ''}`],
      ['dropped', q ? `${q.droppedVideoFrames} / ${q.totalVideoFrames}` : '–'],
    ];
    if (statsBox.childElementCount !== rows.length) {
      statsBox.replaceChildren(...rows.map(([k]) => el('div', 'stat', { 'data-stat': k }, [el('span', 'k', undefined, [k]), el('span', 'v')])));
    }
    rows.forEach(([, v], i) => {
      const cell = statsBox.children[i]?.lastElementChild;
      if (cell) setText(cell, v);
    });
  };

  // Stream info (bitrate in) every 3 s while playing; the stats overlay shows it.
  const refreshInfo = async () => {
    if (hooks.state !== 'playing') return;
    try {
      const live = await getStream(app, stream);
      if (live) info = live;
    } catch {
      // the player's own errors drive reconnects; a failed poll only leaves old numbers
    }
  };

  markProtocol();
  setState('connecting', 'Connecting…');
  setInterval(tick, 500);
  setInterval(() => void refreshInfo(), 3000);
  void start(++generation);
  window.addEventListener('pagehide', () => {
    stopEngine();
    chat.close();
  });
}

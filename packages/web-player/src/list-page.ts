import { getPlayerConfig, listStreams, type PlayerConfig, type StreamInfo } from './api.js';
import { el, setText } from './dom.js';
import { formatBitrate, formatDuration } from './format.js';

/** How often the list refreshes. */
const POLL_MS = 2500;

interface Card {
  root: HTMLAnchorElement;
  meta: HTMLElement;
  viewers: HTMLElement;
  uptime: HTMLElement;
}

/** The home page: live streams (refreshed without reload) and, when there are none, how to publish. */
export function listPage(root: HTMLElement): void {
  document.title = 'Live streams · livegate';
  const grid = el('div', 'stream-grid');
  const heading = el('h1', 'page-title', undefined, ['Live now']);
  const count = el('span', 'count-badge', undefined, ['…']);
  const notice = el('p', 'notice', { hidden: true });
  const help = el('section', 'publish-help');
  const footerHelp = el('p', 'publish-footer');
  root.replaceChildren(el('div', 'list', undefined, [el('div', 'list-head', undefined, [heading, count]), notice, grid, help, footerHelp]));
  const cards = new Map<string, Card>();
  let config: PlayerConfig = { rtmpPort: 1935, rtmpsPort: null };

  const renderHelp = () => {
    const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
    const server = `rtmp://${host}:${config.rtmpPort}/live`;
    const ffmpeg = `ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -tune zerolatency -g 50 -c:a aac -f flv ${server}/mystream`;
    help.replaceChildren(
      el('h2', undefined, undefined, ['Nobody is live. Start a stream:']),
      el('div', 'howto', undefined, [
        el('div', 'howto-card', undefined, [
          el('h3', undefined, undefined, ['OBS Studio']),
          el('p', undefined, undefined, ['Settings → Stream → Service: Custom']),
          el('dl', 'kv', undefined, [
            el('dt', undefined, undefined, ['Server']),
            el('dd', undefined, undefined, [el('code', 'copyable', { 'data-copy': 'server' }, [server])]),
            el('dt', undefined, undefined, ['Stream key']),
            el('dd', undefined, undefined, [el('code', 'copyable', undefined, ['mystream']), ' (any name)']),
          ]),
        ]),
        el('div', 'howto-card', undefined, [
          el('h3', undefined, undefined, ['ffmpeg']),
          el('pre', 'cmd', undefined, [el('code', 'copyable', { 'data-copy': 'ffmpeg' }, [ffmpeg])]),
          el('p', 'hint', undefined, ['Then watch it at ', el('code', undefined, undefined, [`${location.origin}/watch/live/mystream`])]),
        ]),
      ]),
    );
    setText(footerHelp, `Publish to ${server}/<stream key>`);
  };

  const makeCard = (s: StreamInfo): Card => {
    const meta = el('span', 'card-meta');
    const viewers = el('span', 'card-viewers');
    const uptime = el('span', 'card-uptime');
    const rootEl = el('a', 'stream-card', { href: `/watch/${encodeURIComponent(s.app)}/${encodeURIComponent(s.stream)}`, 'data-key': s.key }, [
      el('div', 'card-thumb', undefined, [el('span', 'live-badge', { 'data-live': 'true' }, ['LIVE']), el('span', 'card-play', { 'aria-hidden': 'true' }), uptime]),
      el('div', 'card-body', undefined, [el('span', 'card-title', undefined, [s.key]), meta, viewers]),
    ]);
    return { root: rootEl, meta, viewers, uptime };
  };

  const render = (streams: StreamInfo[]) => {
    notice.hidden = true;
    setText(count, String(streams.length));
    const keep = new Set<string>();
    for (const s of streams) {
      keep.add(s.key);
      let card = cards.get(s.key);
      if (!card) {
        card = makeCard(s);
        cards.set(s.key, card);
        grid.append(card.root);
      }
      const v = s.video;
      const parts = [
        v ? `${v.codec.toUpperCase()}${v.width ? ` ${v.width}×${v.height}` : ''}` : 'audio only',
        s.fps ? `${Math.round(s.fps)} fps` : '',
        s.audio ? s.audio.codec.toUpperCase() : '',
        formatBitrate(s.bitrateIn),
      ].filter(Boolean);
      setText(card.meta, parts.join(' · '));
      const watching = Object.values(s.viewers ?? {}).reduce((a, b) => a + b, 0);
      setText(card.viewers, `${watching} watching`);
      setText(card.uptime, s.uptimeMs !== undefined ? formatDuration(s.uptimeMs) : '');
    }
    for (const [k, c] of cards) {
      if (!keep.has(k)) {
        c.root.remove();
        cards.delete(k);
      }
    }
    help.hidden = streams.length > 0;
    footerHelp.hidden = streams.length === 0;
  };

  let inflight = false;
  const poll = async () => {
    if (inflight) return;
    inflight = true;
    try {
      render(await listStreams());
    } catch {
      notice.hidden = false;
      setText(notice, 'Cannot reach the gateway; retrying…');
    } finally {
      inflight = false;
    }
  };

  renderHelp();
  void getPlayerConfig().then((c) => {
    config = c;
    renderHelp();
  });
  void poll();
  setInterval(() => {
    if (document.visibilityState === 'visible') void poll();
  }, POLL_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void poll();
  });
}

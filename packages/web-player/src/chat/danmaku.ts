import { el } from '../dom.js';

/** Most items on screen at once; more are dropped (a flood must not freeze the page). */
const MAX_ITEMS = 60;
/** Space between two items in a lane, px. */
const GAP_PX = 28;

/**
 * Danmaku: messages fly right to left over the video in horizontal lanes (CSS animation).
 * Every item moves at the same speed, so an item never catches up with the one ahead; a
 * lane takes a new item once the previous one's tail has cleared the right edge.
 */
export class Danmaku {
  enabled = true;
  private readonly laneFreeAt: number[] = [];
  private count = 0;

  constructor(private readonly layer: HTMLElement) {}

  /** Items on screen now. */
  get active(): number {
    return this.count;
  }

  /** Show `text` (as text, never HTML). `kind` styles own messages and publisher captions. */
  add(text: string, kind: 'chat' | 'own' | 'caption' = 'chat'): void {
    if (!this.enabled || this.count >= MAX_ITEMS) return;
    const width = this.layer.clientWidth;
    const height = this.layer.clientHeight;
    if (width === 0 || height === 0) return;
    const item = el('span', `danmaku-item danmaku-${kind}`);
    item.textContent = text;
    this.layer.append(item);
    const itemWidth = item.offsetWidth;
    const laneHeight = item.offsetHeight + 6;
    // Lanes fill the top three quarters, so the bottom (subtitles, controls) stays clear.
    const lanes = Math.max(1, Math.min(14, Math.floor((height * 0.75) / laneHeight)));
    const speed = Math.max(90, width / 8); // px/s: crosses a phone in ~4 s, a desktop player in ~8 s
    const now = performance.now();
    let lane = -1;
    for (let i = 0; i < lanes; i++) {
      if ((this.laneFreeAt[i] ?? 0) <= now) {
        lane = i;
        break;
      }
    }
    if (lane < 0) {
      // Every lane busy: take the one that frees first (slight overlap beats losing the message).
      lane = 0;
      for (let i = 1; i < lanes; i++) if ((this.laneFreeAt[i] ?? 0) < (this.laneFreeAt[lane] ?? 0)) lane = i;
    }
    this.laneFreeAt[lane] = Math.max(now, this.laneFreeAt[lane] ?? 0) + ((itemWidth + GAP_PX) / speed) * 1000;
    const travel = width + itemWidth;
    item.style.top = `${lane * laneHeight + 4}px`;
    item.style.setProperty('--dx', `${-travel}px`);
    item.style.setProperty('--dur', `${(travel / speed).toFixed(2)}s`);
    item.classList.add('flying');
    this.count++;
    let gone = false;
    const done = () => {
      if (gone) return;
      gone = true;
      item.remove();
      this.count--;
    };
    item.addEventListener('animationend', done, { once: true });
    item.addEventListener('animationcancel', done, { once: true });
  }

  /** Remove everything (when turned off). */
  clear(): void {
    for (const e of Array.from(this.layer.querySelectorAll('.danmaku-item'))) e.remove();
    this.count = 0;
    this.laneFreeAt.length = 0;
  }
}

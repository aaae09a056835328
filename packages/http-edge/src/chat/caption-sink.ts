import type { CloseReason, DataMessage, MediaMessage, Sink } from '@livegate/ingest';
import { CAPTION_RATE_BURST, CAPTION_RATE_PER_SECOND } from './limits.js';
import { cleanCaption } from './protocol.js';
import { TokenBucket } from './token-bucket.js';

const field = (o: unknown, k: string): unknown => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined);

/**
 * The caption text of a publisher data message, if it has one:
 * `onTextData {text}` (FLV spec, Annex E.5) or `onCuePoint {name, parameters: {text}}`
 * (the text parameter, else the cue point's name). Cleaned and cut to the chat text limit.
 */
export function captionText(msg: DataMessage): string | undefined {
  const arg = msg.args[0];
  let raw: unknown;
  if (msg.name === 'onTextData') raw = field(arg, 'text');
  else if (msg.name === 'onCuePoint') {
    raw = field(field(arg, 'parameters'), 'text');
    if (typeof raw !== 'string' || raw.trim() === '') raw = field(arg, 'name');
  } else return undefined;
  if (typeof raw !== 'string') return undefined;
  const text = cleanCaption(raw);
  return text === '' ? undefined : text;
}

/**
 * A light bus subscriber that only looks at data messages and hands captions on. It never
 * holds media (backlog 0), so the bus never makes it skip; captions past the rate limit are
 * dropped and counted.
 */
export class CaptionSink implements Sink {
  /** Captions dropped by the rate limit. */
  dropped = 0;
  private readonly bucket: TokenBucket;

  constructor(
    private readonly onCaption: (text: string) => void,
    now: () => number,
  ) {
    this.bucket = new TokenBucket(CAPTION_RATE_BURST, CAPTION_RATE_PER_SECOND, now);
  }

  backlog(): number {
    return 0;
  }

  write(msg: MediaMessage): void {
    if (msg.kind !== 'data') return;
    const text = captionText(msg);
    if (text === undefined) return;
    if (!this.bucket.take()) {
      this.dropped++;
      return;
    }
    this.onCaption(text);
  }

  close(_reason: CloseReason): void {}
}

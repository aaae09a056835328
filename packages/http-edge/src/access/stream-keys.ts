import { createHash, timingSafeEqual } from 'node:crypto';

/** Compare two secrets in constant time (hashing first makes the lengths equal). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Who may publish by stream key: a list of allowed `app/stream` keys and/or one secret per app
 * (`?key=SECRET` on the stream name or the tcUrl). With neither configured, every key is allowed.
 */
export class StreamKeyRules {
  private readonly keys: ReadonlySet<string>;
  private readonly secrets = new Map<string, string>();

  constructor(streamKeys: readonly string[], appSecrets: readonly string[]) {
    this.keys = new Set(streamKeys);
    for (const entry of appSecrets) {
      const i = entry.indexOf(':');
      this.secrets.set(entry.slice(0, i), entry.slice(i + 1));
    }
  }

  /** True when some rule is configured (publishing is not open). */
  get enabled(): boolean {
    return this.keys.size > 0 || this.secrets.size > 0;
  }

  /** True when `app/stream` may publish with the given `key` parameter; otherwise the reason (never the key). */
  check(app: string, stream: string, key: string | null): true | string {
    if (!this.enabled) return true;
    if (this.keys.has(`${app}/${stream}`)) return true;
    const secret = this.secrets.get(app);
    if (secret !== undefined) return key !== null && sameSecret(key, secret) ? true : 'bad or missing app key';
    return 'stream key not allowed';
  }
}

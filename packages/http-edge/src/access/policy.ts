import type { Logger } from 'pino';
import type { AccessRequest } from '@livegate/ingest';
import type { Config } from '../config/index.js';
import { callbackTarget, postCallback, type CallbackAction, type CallbackBody } from './callbacks.js';
import { verifySignature } from './signed-url.js';
import { StreamKeyRules } from './stream-keys.js';

/**
 * A publish or play request from any protocol: RTMP's AccessRequest with a wider `protocol`. For HTTP,
 * `query` is the URL's query (without `?`) and `connectQuery` is empty.
 */
export interface EdgeAccessRequest extends Omit<AccessRequest, 'protocol'> {
  readonly protocol: string;
}

/** A query parameter from the stream name's query, else from the connect query. */
export function queryParam(req: Pick<EdgeAccessRequest, 'query' | 'connectQuery'>, name: string): string | null {
  return new URLSearchParams(req.query).get(name) ?? new URLSearchParams(req.connectQuery).get(name);
}

/**
 * livegate's access control, one policy for RTMP and HTTP: stream keys (publish), signed URLs
 * (publish and/or play), then the HTTP callback. Every part is off unless configured.
 */
export class AccessPolicy {
  private readonly keys: StreamKeyRules;

  constructor(
    private readonly cfg: Config['access'],
    private readonly log: Logger,
    /** Wall clock in ms (signatures expire in Unix time). */
    private readonly now: () => number = () => Date.now(),
  ) {
    this.keys = new StreamKeyRules(cfg.streamKeys, cfg.appSecrets);
  }

  /** True when anyone may publish (no key, signature or callback rule): the gateway warns at start-up. */
  get publishingOpen(): boolean {
    return !this.keys.enabled && !this.cfg.signPublish && !this.cfg.callbacks.onPublish;
  }

  /** True when play requests are checked at all (so HTTP viewers need a policy round). */
  get playChecked(): boolean {
    return this.cfg.signPlay || this.cfg.callbacks.onPlay !== null;
  }

  /** Is a play signature needed (HLS segment URLs then carry the playlist's `sign`)? */
  get signPlay(): boolean {
    return this.cfg.signPlay;
  }

  /** Decide a publish or play: true, or the reason for refusing (safe to log and to send to the client). */
  readonly check = async (req: EdgeAccessRequest): Promise<true | string> => {
    if (req.action === 'publish') {
      const k = this.keys.check(req.app, req.stream, queryParam(req, 'key'));
      if (k !== true) return k;
    }
    if (req.action === 'publish' ? this.cfg.signPublish : this.cfg.signPlay) {
      const s = this.verifySign(req.app, req.stream, queryParam(req, 'sign'));
      if (s !== true) return s;
    }
    const url = req.action === 'publish' ? this.cfg.callbacks.onPublish : this.cfg.callbacks.onPlay;
    if (!url) return true;
    const r = await postCallback(url, this.body(req.action, req), this.cfg.callbacks.timeoutMs);
    if (r.ok) return true;
    const why = `on_${req.action} callback ${r.error}`;
    if (r.status === undefined) {
      this.log.warn({ action: req.action, stream: `${req.app}/${req.stream}`, conn: req.clientId, target: callbackTarget(url), error: r.error }, 'access callback failed');
      if (this.cfg.callbacks.onFailure === 'allow') return true;
    }
    return why;
  };

  /** A publish or play that was allowed has ended: POST the unpublish / stop callback (answer ignored). */
  readonly ended = (req: EdgeAccessRequest): void => {
    const action: CallbackAction = req.action === 'publish' ? 'unpublish' : 'stop';
    const url = action === 'unpublish' ? this.cfg.callbacks.onUnpublish : this.cfg.callbacks.onStop;
    if (!url) return;
    void postCallback(url, this.body(action, req), this.cfg.callbacks.timeoutMs).then((r) => {
      if (!r.ok) this.log.warn({ action, stream: `${req.app}/${req.stream}`, conn: req.clientId, target: callbackTarget(url), error: r.error }, 'access callback failed');
    });
  };

  /** Check a play `sign` value alone (HLS segments: the playlist was fully checked). */
  verifySign(app: string, stream: string, sign: string | null): true | string {
    const secret = this.cfg.signSecret;
    if (secret === null) return 'signed URLs are not configured';
    return verifySignature(secret, app, stream, sign, Math.floor(this.now() / 1000));
  }

  private body(action: CallbackAction, req: EdgeAccessRequest): CallbackBody {
    return {
      action,
      app: req.app,
      stream: req.stream,
      clientId: req.clientId,
      address: req.remoteAddress,
      protocol: req.protocol,
      query: req.query,
      connectQuery: req.connectQuery,
    };
  }
}

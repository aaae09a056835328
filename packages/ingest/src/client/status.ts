import type { AmfValue } from '../amf/index.js';
import { IngestError } from '../errors.js';

/** The info object of an onStatus or `_error` (RTMP 1.0 section 7.2.1.1, 7.2.2): level, code, description. */
export interface RtmpStatus {
  /** `status`, `warning` or `error`. */
  readonly level: string;
  /** e.g. `NetStream.Publish.Start`, `NetStream.Publish.BadName`, `NetConnection.Connect.Rejected`. */
  readonly code: string;
  readonly description: string;
  /** The whole info object as decoded. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * The info object among the values after a command's transaction id (`[null, info]` normally; some
 * servers put it first). A missing or odd one reads as level `error` with an empty code.
 */
export function statusOf(values: readonly AmfValue[]): RtmpStatus {
  const found = values.find((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date));
  const raw = (found ?? {}) as Record<string, unknown>;
  const str = (k: string, d: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : d);
  return { level: str('level', 'error'), code: str('code', ''), description: str('description', ''), raw };
}

/** True for a status with level `error` (RTMP 1.0 section 7.2.2). */
export function isErrorStatus(s: RtmpStatus): boolean {
  return s.level === 'error';
}

/**
 * The server refused a command: an `_error` answer or an onStatus with level `error`.
 * `code` is always ERR_CLIENT_REFUSED; `status` is the NetConnection/NetStream code it sent.
 */
export class RtmpStatusError extends IngestError {
  /** The status code the server sent, e.g. `NetStream.Publish.BadName` (empty when it sent none). */
  readonly status: string;
  readonly info: RtmpStatus;
  constructor(command: string, info: RtmpStatus) {
    super('ERR_CLIENT_REFUSED', `${command} refused: ${info.code || '(no status code)'}${info.description ? ` (${info.description})` : ''}`);
    this.name = 'RtmpStatusError';
    this.status = info.code;
    this.info = info;
  }
}

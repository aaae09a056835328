/** NetConnection / NetStream status codes livegate sends (RTMP 1.0 section 7.2, Flash NetStatusEvent codes). */
export const Status = {
  connectSuccess: ['status', 'NetConnection.Connect.Success', 'Connection succeeded.'],
  connectRejected: ['error', 'NetConnection.Connect.Rejected', 'Connection rejected.'],
  publishStart: ['status', 'NetStream.Publish.Start', 'Start publishing.'],
  publishBadName: ['error', 'NetStream.Publish.BadName', 'Stream already publishing.'],
  publishUnauthorized: ['error', 'NetStream.Publish.Unauthorized', 'Publishing refused.'],
  unpublishSuccess: ['status', 'NetStream.Unpublish.Success', 'Stop publishing.'],
  playReset: ['status', 'NetStream.Play.Reset', 'Playing and resetting.'],
  playStart: ['status', 'NetStream.Play.Start', 'Started playing.'],
  playStop: ['status', 'NetStream.Play.Stop', 'Stopped playing.'],
  playStreamNotFound: ['error', 'NetStream.Play.StreamNotFound', 'No such stream.'],
  playFailed: ['error', 'NetStream.Play.Failed', 'Play failed.'],
  playUnpublishNotify: ['status', 'NetStream.Play.UnpublishNotify', 'Stream was unpublished.'],
  pauseNotify: ['status', 'NetStream.Pause.Notify', 'Paused.'],
  unpauseNotify: ['status', 'NetStream.Unpause.Notify', 'Unpaused.'],
} as const satisfies Record<string, readonly [string, string, string]>;

export type StatusName = keyof typeof Status;

/** The info object of an onStatus / _result: `{ level, code, description, ...extra }`. */
export function statusInfo(name: StatusName, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [level, code, description] = Status[name];
  return { level, code, description, ...extra };
}

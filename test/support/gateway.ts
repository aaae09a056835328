import { loadConfig } from '../../packages/http-edge/src/config/index.js';
import { startGateway, type Gateway } from '../../packages/http-edge/src/gateway.js';
import { createLogger } from '../../packages/http-edge/src/logger.js';

/** A gateway on 127.0.0.1 with free ports; extra flags override the config (e.g. ['--hls-segment-duration', '1']). */
export interface TestGateway extends Gateway {
  rtmpUrl(key: string): string;
  httpUrl(path: string): string;
}

/** Start a gateway for a test. Logs go nowhere unless LG_LOG=debug|info is set or `opts.logTo` takes them. */
export async function startTestGateway(flags: string[] = [], opts: { logTo?: { write(line: string): void } } = {}): Promise<TestGateway> {
  const config = loadConfig(['--host', '127.0.0.1', '--rtmp-port', '0', '--http-port', '0', ...flags]);
  // With logTo, every log line (debug and up) goes there: tests that check what is logged.
  const logger = opts.logTo ? createLogger('debug', opts.logTo) : createLogger(process.env.LG_LOG ?? 'silent');
  const gw = await startGateway({ config, logger });
  return Object.assign(gw, {
    rtmpUrl: (key: string) => `rtmp://127.0.0.1:${gw.addresses.rtmp.port}/${key}`,
    httpUrl: (path: string) => `http://127.0.0.1:${gw.addresses.http.port}${path}`,
  });
}

/** Poll `cond` every 50 ms until it is true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

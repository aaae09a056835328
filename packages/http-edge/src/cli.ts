#!/usr/bin/env node
import { ConfigError, loadConfig } from './config/index.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logger.js';

const USAGE = `livegate: RTMP in, HTTP-FLV / WS-FLV / HLS out

  npm start -- [--config FILE] [--host ADDR] [--rtmp-port N] [--http-port N] [--<any config key> VALUE]

Every config key is also an environment variable: rtmp.port -> LIVEGATE_RTMP_PORT.
`;

/** Start the gateway from argv and the environment; exits 2 on a config error. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  let config;
  try {
    config = loadConfig(argv, process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`livegate: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.log.level);
  const gw = await startGateway({ config, logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'signal received');
    const force = setTimeout(() => {
      logger.warn('shutdown took too long; exiting');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    force.unref();
    gw.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`livegate: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

import { pino, type Logger } from 'pino';

/** The gateway's pino logger: JSON lines on stdout, `service: livegate` on every line. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'livegate', pid: process.pid },
      // Never log a secret: signed query strings and auth headers are cut from anything logged.
      redact: { paths: ['req.headers.authorization', 'req.query', 'query', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

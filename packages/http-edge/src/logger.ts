import { pino, type Logger } from 'pino';

/** The gateway's pino logger: JSON lines on stdout, `service: livegate` on every line. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'livegate', pid: process.pid },
      // Never log a secret: signed query strings and auth headers are cut from anything logged.
      // Fastify logs requests with this serializer: the path only, never the query (it may carry `sign` or `key`).
      serializers: {
        req: (req: { method?: string; url?: string; ip?: string }) => ({ method: req.method, path: req.url?.split('?')[0], remote: req.ip }),
      },
      redact: { paths: ['req.headers.authorization', 'req.query', 'query', 'connectQuery', 'headers.authorization', 'sign', 'key', 'token'], censor: '[redacted]' },
    },
    destination,
  );
}

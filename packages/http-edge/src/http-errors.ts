import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';

/** Error codes the HTTP side answers with (one place, as fastify's FST_ERR_* codes are). */
export const HttpErrors = {
  NOT_FOUND: { status: 404, code: 'LG_NOT_FOUND' },
  TOO_MANY_VIEWERS: { status: 503, code: 'LG_TOO_MANY_VIEWERS' },
  BAD_REQUEST: { status: 400, code: 'LG_BAD_REQUEST' },
  UNAUTHORIZED: { status: 401, code: 'LG_UNAUTHORIZED' },
  FORBIDDEN: { status: 403, code: 'LG_FORBIDDEN' },
} as const;

export type HttpErrorName = keyof typeof HttpErrors;

/** Send a short JSON error: `{ error: CODE, message }`. */
export function sendError(reply: FastifyReply, name: HttpErrorName, message: string): FastifyReply {
  const e = HttpErrors[name];
  return reply.code(e.status).type('application/json').send({ error: e.code, message });
}

/** 404 with a short JSON body. */
export function notFound(reply: FastifyReply, message = 'not found'): FastifyReply {
  return sendError(reply, 'NOT_FOUND', message);
}

/** The same JSON error written by hand on a socket taken from Fastify (a hijacked or handed-over response), then closed. */
export function endWithError(socket: Socket, name: HttpErrorName, message: string): void {
  const e = HttpErrors[name];
  const body = JSON.stringify({ error: e.code, message });
  socket.end(`HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

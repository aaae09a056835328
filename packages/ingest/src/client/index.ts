/** livegate's RTMP/RTMPS client (publish and play), the relay client's base. See rtmp-client.ts. */
export { RtmpClient, DEFAULT_CLIENT_TIMEOUT_MS, CLIENT_PUBLISH_CHUNK_SIZE, CLIENT_FLASH_VER, CLIENT_FOURCC_LIST } from './rtmp-client.js';
export type { RtmpClientOptions, RtmpClientEvents } from './rtmp-client.js';
export { RtmpClientSession, CLIENT_COMMAND_CSID } from './client-session.js';
export type { ClientSessionOptions, ClientSessionLimits, ClientSessionEvents } from './client-session.js';
export type { ClientTransport } from './client-transport.js';
export type { TlsConnectOptions } from './rtmp-client-socket.js';
export { RtmpStatusError, statusOf, isErrorStatus } from './status.js';
export type { RtmpStatus } from './status.js';
export { parseRtmpUrl, DEFAULT_RTMP_PORT, DEFAULT_RTMPS_PORT } from './url.js';
export type { RtmpTarget } from './url.js';
export { mediaFromMessage } from './incoming-media.js';

export * from './rtmp-server.js';
export * from './socket-transport.js';

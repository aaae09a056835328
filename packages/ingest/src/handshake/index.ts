/** RTMP handshake (Adobe RTMP specification 1.0, section 5.2, with the digest form Flash Player 9+ uses). */
export * from './packet.js';
export * from './digest.js';
export * from './server.js';
export * from './client.js';

export * from './rtmp-session.js';
export * from './transport.js';
export * from './status.js';
export * from './names.js';
export * from './player-sink.js';
export * from './timestamp-unwrapper.js';
export * from './rtmp-fanouts.js';

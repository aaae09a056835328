export * from './errors.js';
export * from './codec/index.js';
export * from './flv/index.js';
export * from './mpegts/index.js';
export * from './hls/index.js';

export * from './errors.js';
export * from './codec/index.js';
export * from './flv/index.js';

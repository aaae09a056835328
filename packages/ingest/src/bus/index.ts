export * from './limits.js';
export * from './subscription.js';
export * from './live-stream.js';
export * from './stream-bus.js';
export * from './fanout.js';
export * from './fanout-set.js';
export * from './flush-pacer.js';

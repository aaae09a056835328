export * from './policy.js';
export * from './signed-url.js';
export * from './stream-keys.js';
export * from './callbacks.js';

export * from './config/index.js';
export * from './gateway.js';
export * from './app.js';
export * from './logger.js';
export type { EdgeContext } from './context.js';

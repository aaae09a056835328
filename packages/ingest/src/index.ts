export * from './errors.js';
export * from './media/message.js';
export * from './bus/index.js';

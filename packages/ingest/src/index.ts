export * from './errors.js';
export * from './media/message.js';

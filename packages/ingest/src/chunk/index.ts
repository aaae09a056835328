/** Chunk stream layer (Adobe RTMP specification 1.0, section 5.3): headers, reassembly, serialization. */
export * from './limits.js';
export * from './basic-header.js';
export * from './message-header.js';
export * from './reader.js';
export * from './writer.js';
export type { RtmpMessage } from '../message/types.js';

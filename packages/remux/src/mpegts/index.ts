/** MPEG-TS (ISO/IEC 13818-1) muxing: PSI, PES, packetization, and the segment-at-a-time muxer. */
export * from './constants.js';
export { crc32Mpeg2 } from './crc32.js';
export { encodePatSection } from './pat.js';
export { type PmtStream, encodePmtSection } from './pmt.js';
export { ContinuityCounters } from './continuity.js';
export { PacketSink } from './packet-sink.js';
export { msToPts90, writePesTimestamp, writePcr } from './timestamp.js';
export { MAX_PES_PACKET_LENGTH, pesHeaderSize, writePesHeader } from './pes-header.js';
export { writeSectionPacket } from './psi-packet.js';
export { type PesWriteOptions, writePes } from './pes-writer.js';
export { AudioBatch, AUDIO_PES_MAX_FRAMES, AUDIO_PES_MAX_DURATION_MS, AUDIO_PES_MAX_BYTES } from './audio-batch.js';
export { type TsStreams, TsMuxer } from './ts-muxer.js';

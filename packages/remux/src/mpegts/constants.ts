/** MPEG-TS constants (ISO/IEC 13818-1) and livegate's fixed program layout (same PIDs as ffmpeg's defaults). */

/** Transport packet size and sync byte (2.4.3.2). */
export const TS_PACKET_SIZE = 188;
export const TS_SYNC_BYTE = 0x47;
/** Payload bytes of a packet without adaptation field. */
export const TS_PAYLOAD_SIZE = 184;

/** PIDs: PAT is fixed at 0 (Table 2-3); the rest are livegate's choice. */
export const PID_PAT = 0x0000;
export const PID_PMT = 0x1000;
export const PID_VIDEO = 0x0100;
export const PID_AUDIO = 0x0101;
/** program_number and transport_stream_id of the single program. */
export const PROGRAM_NUMBER = 1;
export const TRANSPORT_STREAM_ID = 1;

/** stream_type values (Table 2-34; 0x1B H.264 Amd.3, 0x24 HEVC Amd.3, 0x0F ADTS AAC). */
export const STREAM_TYPE_MPEG1_AUDIO = 0x03;
export const STREAM_TYPE_MPEG2_AUDIO = 0x04;
export const STREAM_TYPE_AAC_ADTS = 0x0f;
export const STREAM_TYPE_H264 = 0x1b;
export const STREAM_TYPE_HEVC = 0x24;

/** PES stream_id of the first video / audio stream (Table 2-22). */
export const STREAM_ID_VIDEO = 0xe0;
export const STREAM_ID_AUDIO = 0xc0;

/** 90 kHz PTS/DTS clock ticks per ms (2.4.3.7) and the 33-bit wrap. */
export const TICKS_PER_MS = 90;
export const TIMESTAMP_WRAP = 2 ** 33;
/**
 * Added to every PTS/DTS so the PCR, which runs PCR_LEAD behind the DTS, never goes below zero
 * for a stream starting at 0 ms (ffmpeg uses the same 1.4 s initial offset).
 */
export const TIMESTAMP_OFFSET_MS = 1400;
/** How far the PCR runs behind the DTS it travels with (decoder buffering time, T-STD 2.4.2). */
export const PCR_LEAD_MS = 700;

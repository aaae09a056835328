/**
 * Limits applied to every AMF decode (and, for depth, encode). Real encoders stay far below them: ffmpeg's
 * `connect` and `onMetaData` nest two levels and carry a few dozen values.
 */

/**
 * Deepest nesting of objects / arrays. Decoding recurses once per level, so this keeps a hostile message
 * from exhausting the stack (and keeps every consumer that walks the value recursively safe); 64 is
 * ~30 times what any RTMP client sends.
 */
export const AMF_MAX_DEPTH = 64;

/**
 * Most values (scalars, containers and references alike) one decode call may produce. Each value takes at
 * least one input byte, so the input size bounds the work already; this caps the memory of the result
 * (a 16 MiB message of nulls would otherwise become a 16-million-element array). Also bounds the
 * reference tables, which only ever hold decoded values.
 */
export const AMF_MAX_ELEMENTS = 1 << 20;

/** AMF0 references are u16 indices (AMF0 spec 2.9), so only the first 65,536 complex values can be referenced. */
export const AMF0_MAX_REFERENCE = 0xffff;

/** AMF3 U29 holds 29 bits (AMF3 spec 1.3.1); lengths and reference indices are shifted left by one inside it. */
export const AMF3_MAX_U29 = 0x1fffffff;

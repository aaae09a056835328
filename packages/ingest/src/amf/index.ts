/**
 * AMF0 / AMF3 codec: the public API. See types.ts for how values are represented and limits.ts for the
 * bounds every decode enforces. Errors are IngestError with ERR_AMF_* codes.
 */
export { decodeAmf0, decodeAmf0All, encodeAmf0 } from './amf0.js';
export { decodeAmf3, decodeAmf3All, encodeAmf3 } from './amf3.js';
export { AMF3_COMMAND_FORMAT, decodeCommandAmf3, encodeCommandAmf3 } from './command.js';
export { AMF_MAX_DEPTH, AMF_MAX_ELEMENTS, AMF0_MAX_REFERENCE, AMF3_MAX_U29 } from './limits.js';
export { Amf0Marker, Amf3Marker } from './markers.js';
export { AMF_CLASS_NAME, AMF_ECMA_ARRAY, amfObject, ecmaArray, isEcmaArray, typedObject } from './types.js';
export type { AmfEntries, AmfObject, AmfValue } from './types.js';

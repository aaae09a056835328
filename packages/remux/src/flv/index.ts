export { flvHeader, FLV_HEADER_SIZE, type FlvHeaderFlags } from './flv-header.js';
export {
  encodeTag,
  writeTagHeader,
  FlvTagType,
  FLV_TAG_HEADER_SIZE,
  PREVIOUS_TAG_SIZE_SIZE,
  MAX_TAG_DATA_SIZE,
  type FlvTagTypeValue,
} from './flv-tag.js';
export { stripSetDataFrame } from './set-data-frame.js';
export { FlvViewerMuxer, type FlvViewerMuxerOptions } from './flv-viewer-muxer.js';

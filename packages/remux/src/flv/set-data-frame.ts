/** AMF0 string "@setDataFrame": marker 0x02, UI16 length 13, the name (AMF0 2.4; RTMP data message wrapper). */
const SET_DATA_FRAME = Buffer.from([0x02, 0x00, 0x0d, ...Buffer.from('@setDataFrame', 'latin1')]);

/**
 * Returns the script data without a leading `@setDataFrame` name, as a subarray (no copy), so an
 * FLV viewer gets a plain `onMetaData` script tag (FLV 10.1 E.4.4; forwarding the wrapper makes
 * ffprobe report an extra data stream). The bus already strips it; this is a cheap guard.
 */
export function stripSetDataFrame(body: Buffer): Buffer {
  if (body.length > SET_DATA_FRAME.length && body.subarray(0, SET_DATA_FRAME.length).equals(SET_DATA_FRAME)) {
    return body.subarray(SET_DATA_FRAME.length);
  }
  return body;
}

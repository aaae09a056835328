/** AMF0 type markers (AMF0 spec 2.1). */
export const Amf0Marker = {
  number: 0x00,
  boolean: 0x01,
  string: 0x02,
  object: 0x03,
  movieclip: 0x04,
  null: 0x05,
  undefined: 0x06,
  reference: 0x07,
  ecmaArray: 0x08,
  objectEnd: 0x09,
  strictArray: 0x0a,
  date: 0x0b,
  longString: 0x0c,
  unsupported: 0x0d,
  recordset: 0x0e,
  xmlDocument: 0x0f,
  typedObject: 0x10,
  avmPlus: 0x11,
} as const;

/** AMF3 type markers (AMF3 spec 3.1). */
export const Amf3Marker = {
  undefined: 0x00,
  null: 0x01,
  false: 0x02,
  true: 0x03,
  integer: 0x04,
  double: 0x05,
  string: 0x06,
  xmlDocument: 0x07,
  date: 0x08,
  array: 0x09,
  object: 0x0a,
  xml: 0x0b,
  byteArray: 0x0c,
  vectorInt: 0x0d,
  vectorUint: 0x0e,
  vectorDouble: 0x0f,
  vectorObject: 0x10,
  dictionary: 0x11,
} as const;

/** Formats a marker byte for error messages: `0x0d`. */
export function hexByte(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * How AMF values look in JavaScript (shared by the AMF0 and AMF3 codecs).
 *
 * - number, boolean, string, null, undefined: themselves (AMF3 integer and double both decode to number).
 * - AMF0 object / AMF3 anonymous object: a null-prototype object, so `cmd.app` works and a `__proto__` key is
 *   an ordinary own property.
 * - AMF0 typed object / AMF3 object with a class name: the same, with the class name on {@link AMF_CLASS_NAME}.
 * - AMF0 ECMA array / AMF3 array with an associative part: a null-prototype object tagged with
 *   {@link AMF_ECMA_ARRAY}, so it is written back as an ECMA array (ffmpeg's onMetaData is one).
 * - AMF0 strict array / AMF3 dense array: a JS array.
 * - date: Date (the AMF0 timezone field is read and ignored, and written as 0 as the spec asks).
 * - AMF3 ByteArray: Buffer (a copy; encoding accepts any Uint8Array).
 * - XML (AMF0 XML document, AMF3 XMLDocument and XML): string; it is written back as a plain string.
 * - AMF0 unsupported (0x0D): undefined.
 *
 * Key order is kept as received, except that JS objects always list integer-like keys ("0", "1", ...) first.
 */

/** Non-enumerable tag (value `true`) on an object that came from, or must be written as, an AMF0 ECMA array. */
export const AMF_ECMA_ARRAY: unique symbol = Symbol('livegate.amf.ecmaArray');

/** Non-enumerable class name of an AMF0 typed object or an AMF3 object with traits naming a class. */
export const AMF_CLASS_NAME: unique symbol = Symbol('livegate.amf.className');

/** An AMF object, ECMA array or typed object: a null-prototype object with the tags above. */
export interface AmfObject {
  [key: string]: AmfValue;
  [AMF_ECMA_ARRAY]?: true;
  [AMF_CLASS_NAME]?: string;
}

/** Any value the AMF0 / AMF3 codecs decode or encode. */
export type AmfValue = number | boolean | string | null | undefined | Date | Uint8Array | AmfValue[] | AmfObject;

/** Key/value pairs in wire order, or a record (insertion order). */
export type AmfEntries = Iterable<readonly [string, AmfValue]> | Readonly<Record<string, AmfValue>>;

function fill(target: AmfObject, entries: AmfEntries): AmfObject {
  const pairs = Symbol.iterator in entries ? (entries as Iterable<readonly [string, AmfValue]>) : Object.entries(entries);
  for (const [key, value] of pairs) target[key] = value;
  return target;
}

/** Tags `obj` (in place) as an ECMA array. */
export function tagEcmaArray(obj: AmfObject): AmfObject {
  Object.defineProperty(obj, AMF_ECMA_ARRAY, { value: true, enumerable: false, writable: false, configurable: true });
  return obj;
}

/** Sets the class name of `obj` (in place), making it a typed object. */
export function tagClassName(obj: AmfObject, className: string): AmfObject {
  Object.defineProperty(obj, AMF_CLASS_NAME, { value: className, enumerable: false, writable: false, configurable: true });
  return obj;
}

/** Builds an anonymous AMF object (null prototype) from entries. */
export function amfObject(entries: AmfEntries = []): AmfObject {
  return fill(Object.create(null) as AmfObject, entries);
}

/** Builds an ECMA array (null prototype, tagged with {@link AMF_ECMA_ARRAY}) from entries. */
export function ecmaArray(entries: AmfEntries = []): AmfObject {
  return tagEcmaArray(amfObject(entries));
}

/** Builds a typed object carrying `className` on {@link AMF_CLASS_NAME}. */
export function typedObject(className: string, entries: AmfEntries = []): AmfObject {
  return tagClassName(amfObject(entries), className);
}

/** True when `v` is tagged as an ECMA array. */
export function isEcmaArray(v: unknown): v is AmfObject {
  return typeof v === 'object' && v !== null && (v as AmfObject)[AMF_ECMA_ARRAY] === true;
}

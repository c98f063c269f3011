// Original file: proto/camos/v1/common.proto


/**
 * Typed scalar for metadata, criteria and tunables that are not plain strings.
 */
export interface Value {
  'stringValue'?: (string);
  'numberValue'?: (number | string);
  'boolValue'?: (boolean);
  'bytesValue'?: (Buffer | Uint8Array | string);
  'kind'?: "stringValue"|"numberValue"|"boolValue"|"bytesValue";
}

/**
 * Typed scalar for metadata, criteria and tunables that are not plain strings.
 */
export interface Value__Output {
  'stringValue'?: (string);
  'numberValue'?: (number);
  'boolValue'?: (boolean);
  'bytesValue'?: (Buffer);
  'kind'?: "stringValue"|"numberValue"|"boolValue"|"bytesValue";
}

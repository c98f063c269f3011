// Original file: proto/camos/v1/memory.proto


export interface RecallRequest {
  'namespace'?: (string);
  'key'?: (string);
  /**
   * Empty = current value; otherwise a version token from ContextVersions or Remember.
   */
  'version'?: (string);
}

export interface RecallRequest__Output {
  'namespace': (string);
  'key': (string);
  /**
   * Empty = current value; otherwise a version token from ContextVersions or Remember.
   */
  'version': (string);
}

// Original file: proto/camos/v1/memory.proto


export interface ContextVersionsRequest {
  'namespace'?: (string);
  'key'?: (string);
  /**
   * Newest first; 0 = all retained versions.
   */
  'limit'?: (number);
}

export interface ContextVersionsRequest__Output {
  'namespace': (string);
  'key': (string);
  /**
   * Newest first; 0 = all retained versions.
   */
  'limit': (number);
}

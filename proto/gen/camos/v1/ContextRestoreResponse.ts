// Original file: proto/camos/v1/memory.proto


export interface ContextRestoreResponse {
  /**
   * Version token of the restoring writes.
   */
  'version'?: (string);
  /**
   * Keys written back and keys deleted to match the snapshot.
   */
  'written'?: (number);
  'deleted'?: (number);
}

export interface ContextRestoreResponse__Output {
  /**
   * Version token of the restoring writes.
   */
  'version': (string);
  /**
   * Keys written back and keys deleted to match the snapshot.
   */
  'written': (number);
  'deleted': (number);
}

// Original file: proto/camos/v1/memory.proto


export interface ForgetResponse {
  /**
   * Version token of the delete.
   */
  'version'?: (string);
  /**
   * Number of live keys the delete removed.
   */
  'count'?: (number);
}

export interface ForgetResponse__Output {
  /**
   * Version token of the delete.
   */
  'version': (string);
  /**
   * Number of live keys the delete removed.
   */
  'count': (number);
}

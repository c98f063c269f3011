// Original file: proto/camos/v1/memory.proto


export interface ObserveRequest {
  'namespace'?: (string);
  /**
   * Exactly one of key or prefix (empty prefix with prefix_all = whole namespace).
   */
  'key'?: (string);
  'prefix'?: (string);
  'prefixAll'?: (boolean);
  /**
   * Keep the stream open and send every change after the initial entries.
   */
  'follow'?: (boolean);
  /**
   * Skip the initial entries and send only changes (requires follow).
   */
  'changesOnly'?: (boolean);
}

export interface ObserveRequest__Output {
  'namespace': (string);
  /**
   * Exactly one of key or prefix (empty prefix with prefix_all = whole namespace).
   */
  'key': (string);
  'prefix': (string);
  'prefixAll': (boolean);
  /**
   * Keep the stream open and send every change after the initial entries.
   */
  'follow': (boolean);
  /**
   * Skip the initial entries and send only changes (requires follow).
   */
  'changesOnly': (boolean);
}

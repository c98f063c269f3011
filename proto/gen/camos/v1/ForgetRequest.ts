// Original file: proto/camos/v1/memory.proto

import type { Durability as _camos_v1_Durability, Durability__Output as _camos_v1_Durability__Output } from '../../camos/v1/Durability.js';

export interface ForgetRequest {
  'namespace'?: (string);
  /**
   * Exactly one of key or prefix. An empty prefix is not allowed; use prefix_all to clear the
   * namespace.
   */
  'key'?: (string);
  'prefix'?: (string);
  'prefixAll'?: (boolean);
  'durability'?: (_camos_v1_Durability);
}

export interface ForgetRequest__Output {
  'namespace': (string);
  /**
   * Exactly one of key or prefix. An empty prefix is not allowed; use prefix_all to clear the
   * namespace.
   */
  'key': (string);
  'prefix': (string);
  'prefixAll': (boolean);
  'durability': (_camos_v1_Durability__Output);
}

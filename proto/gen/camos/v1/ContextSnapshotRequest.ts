// Original file: proto/camos/v1/memory.proto

import type { Durability as _camos_v1_Durability, Durability__Output as _camos_v1_Durability__Output } from '../../camos/v1/Durability.js';

export interface ContextSnapshotRequest {
  'namespace'?: (string);
  /**
   * ^[a-z0-9][a-z0-9_.-]{0,63}$
   */
  'name'?: (string);
  'description'?: (string);
  'durability'?: (_camos_v1_Durability);
}

export interface ContextSnapshotRequest__Output {
  'namespace': (string);
  /**
   * ^[a-z0-9][a-z0-9_.-]{0,63}$
   */
  'name': (string);
  'description': (string);
  'durability': (_camos_v1_Durability__Output);
}

// Original file: proto/camos/v1/memory.proto

import type { Durability as _camos_v1_Durability, Durability__Output as _camos_v1_Durability__Output } from '../../camos/v1/Durability.js';

export interface ContextRestoreRequest {
  'namespace'?: (string);
  'name'?: (string);
  'durability'?: (_camos_v1_Durability);
}

export interface ContextRestoreRequest__Output {
  'namespace': (string);
  'name': (string);
  'durability': (_camos_v1_Durability__Output);
}

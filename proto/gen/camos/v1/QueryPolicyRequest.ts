// Original file: proto/camos/v1/policy.proto

import type { Value as _camos_v1_Value, Value__Output as _camos_v1_Value__Output } from '../../camos/v1/Value.js';

export interface QueryPolicyRequest {
  'principal'?: (string);
  'action'?: (string);
  'resource'?: (string);
  'context'?: ({[key: string]: _camos_v1_Value});
}

export interface QueryPolicyRequest__Output {
  'principal': (string);
  'action': (string);
  'resource': (string);
  'context': ({[key: string]: _camos_v1_Value__Output});
}

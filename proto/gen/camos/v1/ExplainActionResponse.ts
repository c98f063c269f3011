// Original file: proto/camos/v1/policy.proto

import type { Value as _camos_v1_Value, Value__Output as _camos_v1_Value__Output } from '../../camos/v1/Value.js';

export interface ExplainActionResponse {
  'summary'?: (string);
  'steps'?: (string)[];
  'inputs'?: ({[key: string]: _camos_v1_Value});
  'rule'?: (string);
  'outcome'?: (string);
  /**
   * AUDIT level: the record's position in its node's signed hash chain.
   */
  'chainHash'?: (string);
  'signatureBatch'?: (string);
}

export interface ExplainActionResponse__Output {
  'summary': (string);
  'steps': (string)[];
  'inputs': ({[key: string]: _camos_v1_Value__Output});
  'rule': (string);
  'outcome': (string);
  /**
   * AUDIT level: the record's position in its node's signed hash chain.
   */
  'chainHash': (string);
  'signatureBatch': (string);
}

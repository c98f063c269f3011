// Original file: proto/camos/v1/policy.proto

import type { DecisionRef as _camos_v1_DecisionRef, DecisionRef__Output as _camos_v1_DecisionRef__Output } from '../../camos/v1/DecisionRef.js';

export interface QueryPolicyResponse {
  'allowed'?: (boolean);
  /**
   * Ids of the policies that decided.
   */
  'policyIds'?: (string)[];
  'reasons'?: (string)[];
  'decision'?: (_camos_v1_DecisionRef | null);
}

export interface QueryPolicyResponse__Output {
  'allowed': (boolean);
  /**
   * Ids of the policies that decided.
   */
  'policyIds': (string)[];
  'reasons': (string)[];
  'decision': (_camos_v1_DecisionRef__Output | null);
}

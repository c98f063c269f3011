// Original file: proto/camos/v1/policy.proto


export interface PolicyUpdateRequest {
  'policyId'?: (string);
  /**
   * Cedar policy text; empty with remove = delete the policy.
   */
  'cedar'?: (string);
  'remove'?: (boolean);
}

export interface PolicyUpdateRequest__Output {
  'policyId': (string);
  /**
   * Cedar policy text; empty with remove = delete the policy.
   */
  'cedar': (string);
  'remove': (boolean);
}

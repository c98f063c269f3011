// Original file: proto/camos/v1/policy.proto


export interface PolicyUpdateResponse {
  'policyId'?: (string);
  'version'?: (string);
}

export interface PolicyUpdateResponse__Output {
  'policyId': (string);
  'version': (string);
}

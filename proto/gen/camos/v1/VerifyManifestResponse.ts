// Original file: proto/camos/v1/policy.proto


export interface VerifyManifestResponse {
  'valid'?: (boolean);
  'keyId'?: (string);
  'reason'?: (string);
}

export interface VerifyManifestResponse__Output {
  'valid': (boolean);
  'keyId': (string);
  'reason': (string);
}

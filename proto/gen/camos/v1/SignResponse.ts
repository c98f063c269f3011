// Original file: proto/camos/v1/policy.proto


export interface SignResponse {
  'signature'?: (Buffer | Uint8Array | string);
  'keyId'?: (string);
  'algorithm'?: (string);
}

export interface SignResponse__Output {
  'signature': (Buffer);
  'keyId': (string);
  'algorithm': (string);
}

// Original file: proto/camos/v1/policy.proto


export interface SignRequest {
  'payload'?: (Buffer | Uint8Array | string);
}

export interface SignRequest__Output {
  'payload': (Buffer);
}

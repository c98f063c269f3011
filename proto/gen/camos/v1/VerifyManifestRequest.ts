// Original file: proto/camos/v1/policy.proto


export interface VerifyManifestRequest {
  'manifest'?: (Buffer | Uint8Array | string);
  'signature'?: (Buffer | Uint8Array | string);
  /**
   * Public key to verify with; empty = the cluster's certified keys.
   */
  'publicKey'?: (Buffer | Uint8Array | string);
}

export interface VerifyManifestRequest__Output {
  'manifest': (Buffer);
  'signature': (Buffer);
  /**
   * Public key to verify with; empty = the cluster's certified keys.
   */
  'publicKey': (Buffer);
}

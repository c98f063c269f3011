// Original file: proto/camos/v1/memory.proto

import type { Durability as _camos_v1_Durability, Durability__Output as _camos_v1_Durability__Output } from '../../camos/v1/Durability.js';
import type { Long } from '@grpc/proto-loader';

export interface RememberResponse {
  'version'?: (string);
  'sha256'?: (string);
  'expiresAtMs'?: (number | string | Long);
  'durability'?: (_camos_v1_Durability);
}

export interface RememberResponse__Output {
  'version': (string);
  'sha256': (string);
  'expiresAtMs': (number);
  'durability': (_camos_v1_Durability__Output);
}

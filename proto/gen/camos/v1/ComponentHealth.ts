// Original file: proto/camos/v1/system.proto

import type { ServingState as _camos_v1_ServingState, ServingState__Output as _camos_v1_ServingState__Output } from '../../camos/v1/ServingState.js';

export interface ComponentHealth {
  'name'?: (string);
  'state'?: (_camos_v1_ServingState);
  'detail'?: (string);
}

export interface ComponentHealth__Output {
  'name': (string);
  'state': (_camos_v1_ServingState__Output);
  'detail': (string);
}

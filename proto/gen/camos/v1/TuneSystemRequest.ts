// Original file: proto/camos/v1/policy.proto

import type { Value as _camos_v1_Value, Value__Output as _camos_v1_Value__Output } from '../../camos/v1/Value.js';

export interface TuneSystemRequest {
  'settings'?: ({[key: string]: _camos_v1_Value});
  'dryRun'?: (boolean);
  'reason'?: (string);
}

export interface TuneSystemRequest__Output {
  'settings': ({[key: string]: _camos_v1_Value__Output});
  'dryRun': (boolean);
  'reason': (string);
}

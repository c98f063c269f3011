// Original file: proto/camos/v1/policy.proto

import type { Value as _camos_v1_Value, Value__Output as _camos_v1_Value__Output } from '../../camos/v1/Value.js';

export interface TuneSystemResponse {
  'applied'?: ({[key: string]: _camos_v1_Value});
  'previous'?: ({[key: string]: _camos_v1_Value});
  'version'?: (string);
}

export interface TuneSystemResponse__Output {
  'applied': ({[key: string]: _camos_v1_Value__Output});
  'previous': ({[key: string]: _camos_v1_Value__Output});
  'version': (string);
}

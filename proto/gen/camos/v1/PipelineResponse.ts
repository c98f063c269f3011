// Original file: proto/camos/v1/kernel.proto

import type { PipelineResult as _camos_v1_PipelineResult, PipelineResult__Output as _camos_v1_PipelineResult__Output } from '../../camos/v1/PipelineResult.js';

export interface PipelineResponse {
  'results'?: (_camos_v1_PipelineResult)[];
}

export interface PipelineResponse__Output {
  'results': (_camos_v1_PipelineResult__Output)[];
}

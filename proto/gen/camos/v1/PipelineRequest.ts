// Original file: proto/camos/v1/kernel.proto

import type { PipelineCall as _camos_v1_PipelineCall, PipelineCall__Output as _camos_v1_PipelineCall__Output } from '../../camos/v1/PipelineCall.js';

export interface PipelineRequest {
  /**
   * At most 1024 calls per message.
   */
  'calls'?: (_camos_v1_PipelineCall)[];
}

export interface PipelineRequest__Output {
  /**
   * At most 1024 calls per message.
   */
  'calls': (_camos_v1_PipelineCall__Output)[];
}

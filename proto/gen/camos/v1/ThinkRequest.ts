// Original file: proto/camos/v1/agents.proto

import type { TaskSpec as _camos_v1_TaskSpec, TaskSpec__Output as _camos_v1_TaskSpec__Output } from '../../camos/v1/TaskSpec.js';

export interface ThinkRequest {
  'task'?: (_camos_v1_TaskSpec | null);
  'maxCandidates'?: (number);
}

export interface ThinkRequest__Output {
  'task': (_camos_v1_TaskSpec__Output | null);
  'maxCandidates': (number);
}

// Original file: proto/camos/v1/agents.proto

import type { TaskSpec as _camos_v1_TaskSpec, TaskSpec__Output as _camos_v1_TaskSpec__Output } from '../../camos/v1/TaskSpec.js';

export interface CollaborationTask {
  'id'?: (string);
  'spec'?: (_camos_v1_TaskSpec | null);
  'dependsOn'?: (string)[];
}

export interface CollaborationTask__Output {
  'id': (string);
  'spec': (_camos_v1_TaskSpec__Output | null);
  'dependsOn': (string)[];
}

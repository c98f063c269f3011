// Original file: proto/camos/v1/tasks.proto

import type { TaskSpec as _camos_v1_TaskSpec, TaskSpec__Output as _camos_v1_TaskSpec__Output } from '../../camos/v1/TaskSpec.js';
import type { Durability as _camos_v1_Durability, Durability__Output as _camos_v1_Durability__Output } from '../../camos/v1/Durability.js';

export interface CommitTaskRequest {
  'spec'?: (_camos_v1_TaskSpec | null);
  'dependsOn'?: (string)[];
  'maxRetries'?: (number);
  /**
   * Caller-chosen id for idempotent submission; empty = generated.
   */
  'taskId'?: (string);
  'durability'?: (_camos_v1_Durability);
}

export interface CommitTaskRequest__Output {
  'spec': (_camos_v1_TaskSpec__Output | null);
  'dependsOn': (string)[];
  'maxRetries': (number);
  /**
   * Caller-chosen id for idempotent submission; empty = generated.
   */
  'taskId': (string);
  'durability': (_camos_v1_Durability__Output);
}

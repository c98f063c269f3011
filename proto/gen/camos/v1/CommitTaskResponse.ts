// Original file: proto/camos/v1/tasks.proto

import type { TaskState as _camos_v1_TaskState, TaskState__Output as _camos_v1_TaskState__Output } from '../../camos/v1/TaskState.js';
import type { DecisionRef as _camos_v1_DecisionRef, DecisionRef__Output as _camos_v1_DecisionRef__Output } from '../../camos/v1/DecisionRef.js';

export interface CommitTaskResponse {
  'taskId'?: (string);
  'state'?: (_camos_v1_TaskState);
  'decision'?: (_camos_v1_DecisionRef | null);
}

export interface CommitTaskResponse__Output {
  'taskId': (string);
  'state': (_camos_v1_TaskState__Output);
  'decision': (_camos_v1_DecisionRef__Output | null);
}

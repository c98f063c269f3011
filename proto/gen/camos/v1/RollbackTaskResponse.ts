// Original file: proto/camos/v1/tasks.proto

import type { TaskState as _camos_v1_TaskState, TaskState__Output as _camos_v1_TaskState__Output } from '../../camos/v1/TaskState.js';

export interface RollbackTaskResponse {
  'state'?: (_camos_v1_TaskState);
  'cancelledTaskIds'?: (string)[];
}

export interface RollbackTaskResponse__Output {
  'state': (_camos_v1_TaskState__Output);
  'cancelledTaskIds': (string)[];
}

// Original file: proto/camos/v1/tasks.proto

import type { TaskState as _camos_v1_TaskState, TaskState__Output as _camos_v1_TaskState__Output } from '../../camos/v1/TaskState.js';

export interface ReportTaskResponse {
  'accepted'?: (boolean);
  'duplicate'?: (boolean);
  'state'?: (_camos_v1_TaskState);
}

export interface ReportTaskResponse__Output {
  'accepted': (boolean);
  'duplicate': (boolean);
  'state': (_camos_v1_TaskState__Output);
}

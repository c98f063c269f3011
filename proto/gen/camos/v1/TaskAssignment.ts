// Original file: proto/camos/v1/tasks.proto

import type { TaskSpec as _camos_v1_TaskSpec, TaskSpec__Output as _camos_v1_TaskSpec__Output } from '../../camos/v1/TaskSpec.js';
import type { Long } from '@grpc/proto-loader';

export interface TaskAssignment {
  'taskId'?: (string);
  'epoch'?: (number | string | Long);
  'spec'?: (_camos_v1_TaskSpec | null);
}

export interface TaskAssignment__Output {
  'taskId': (string);
  'epoch': (number);
  'spec': (_camos_v1_TaskSpec__Output | null);
}

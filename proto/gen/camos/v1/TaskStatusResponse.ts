// Original file: proto/camos/v1/tasks.proto

import type { TaskState as _camos_v1_TaskState, TaskState__Output as _camos_v1_TaskState__Output } from '../../camos/v1/TaskState.js';
import type { TaskEvent as _camos_v1_TaskEvent, TaskEvent__Output as _camos_v1_TaskEvent__Output } from '../../camos/v1/TaskEvent.js';
import type { Long } from '@grpc/proto-loader';

export interface TaskStatusResponse {
  'taskId'?: (string);
  'state'?: (_camos_v1_TaskState);
  'agentId'?: (string);
  'epoch'?: (number | string | Long);
  'attempts'?: (number);
  'result'?: (Buffer | Uint8Array | string);
  'error'?: (string);
  'events'?: (_camos_v1_TaskEvent)[];
}

export interface TaskStatusResponse__Output {
  'taskId': (string);
  'state': (_camos_v1_TaskState__Output);
  'agentId': (string);
  'epoch': (number);
  'attempts': (number);
  'result': (Buffer);
  'error': (string);
  'events': (_camos_v1_TaskEvent__Output)[];
}

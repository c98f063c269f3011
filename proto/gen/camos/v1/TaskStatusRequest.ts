// Original file: proto/camos/v1/tasks.proto


export interface TaskStatusRequest {
  'taskId'?: (string);
}

export interface TaskStatusRequest__Output {
  'taskId': (string);
}

// Original file: proto/camos/v1/tasks.proto


export interface RollbackTaskRequest {
  'taskId'?: (string);
  'reason'?: (string);
  /**
   * Also cancel tasks that depend on this one.
   */
  'cascade'?: (boolean);
}

export interface RollbackTaskRequest__Output {
  'taskId': (string);
  'reason': (string);
  /**
   * Also cancel tasks that depend on this one.
   */
  'cascade': (boolean);
}

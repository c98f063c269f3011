// Original file: proto/camos/v1/tasks.proto

import type { Long } from '@grpc/proto-loader';

export interface ReportTaskRequest {
  'taskId'?: (string);
  'agentId'?: (string);
  /**
   * The assignment's fencing epoch; a report with a superseded epoch is a duplicate.
   */
  'epoch'?: (number | string | Long);
  'success'?: (boolean);
  'result'?: (Buffer | Uint8Array | string);
  'error'?: (string);
}

export interface ReportTaskRequest__Output {
  'taskId': (string);
  'agentId': (string);
  /**
   * The assignment's fencing epoch; a report with a superseded epoch is a duplicate.
   */
  'epoch': (number);
  'success': (boolean);
  'result': (Buffer);
  'error': (string);
}

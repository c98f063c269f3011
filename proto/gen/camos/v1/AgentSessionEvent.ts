// Original file: proto/camos/v1/tasks.proto

import type { TaskAssignment as _camos_v1_TaskAssignment, TaskAssignment__Output as _camos_v1_TaskAssignment__Output } from '../../camos/v1/TaskAssignment.js';
import type { AgentMessage as _camos_v1_AgentMessage, AgentMessage__Output as _camos_v1_AgentMessage__Output } from '../../camos/v1/AgentMessage.js';

export interface AgentSessionEvent {
  'assignment'?: (_camos_v1_TaskAssignment | null);
  'message'?: (_camos_v1_AgentMessage | null);
  /**
   * The assignment was superseded: stop working on it.
   */
  'revoked'?: (_camos_v1_TaskAssignment | null);
  'event'?: "assignment"|"message"|"revoked";
}

export interface AgentSessionEvent__Output {
  'assignment'?: (_camos_v1_TaskAssignment__Output | null);
  'message'?: (_camos_v1_AgentMessage__Output | null);
  /**
   * The assignment was superseded: stop working on it.
   */
  'revoked'?: (_camos_v1_TaskAssignment__Output | null);
  'event'?: "assignment"|"message"|"revoked";
}

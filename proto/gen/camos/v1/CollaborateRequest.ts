// Original file: proto/camos/v1/agents.proto

import type { CollaborationTask as _camos_v1_CollaborationTask, CollaborationTask__Output as _camos_v1_CollaborationTask__Output } from '../../camos/v1/CollaborationTask.js';

export interface CollaborateRequest {
  'goal'?: (string);
  'agentIds'?: (string)[];
  /**
   * Tasks of the group; dependencies refer to TaskSpec.kind-unique ids in CollaborationTask.
   */
  'tasks'?: (_camos_v1_CollaborationTask)[];
}

export interface CollaborateRequest__Output {
  'goal': (string);
  'agentIds': (string)[];
  /**
   * Tasks of the group; dependencies refer to TaskSpec.kind-unique ids in CollaborationTask.
   */
  'tasks': (_camos_v1_CollaborationTask__Output)[];
}

// Original file: proto/camos/v1/agents.proto

import type { TaskSpec as _camos_v1_TaskSpec, TaskSpec__Output as _camos_v1_TaskSpec__Output } from '../../camos/v1/TaskSpec.js';

export interface ArbitrateRequest {
  'task'?: (_camos_v1_TaskSpec | null);
  /**
   * Restrict the choice to these agents; empty = every live agent.
   */
  'agentIds'?: (string)[];
}

export interface ArbitrateRequest__Output {
  'task': (_camos_v1_TaskSpec__Output | null);
  /**
   * Restrict the choice to these agents; empty = every live agent.
   */
  'agentIds': (string)[];
}

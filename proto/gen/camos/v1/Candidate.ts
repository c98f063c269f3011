// Original file: proto/camos/v1/agents.proto

import type { ScoreComponent as _camos_v1_ScoreComponent, ScoreComponent__Output as _camos_v1_ScoreComponent__Output } from '../../camos/v1/ScoreComponent.js';

export interface Candidate {
  'agentId'?: (string);
  'nodeId'?: (string);
  'score'?: (number | string);
  'components'?: (_camos_v1_ScoreComponent)[];
  /**
   * Set when a policy or capacity filter removed the candidate.
   */
  'excludedReason'?: (string);
}

export interface Candidate__Output {
  'agentId': (string);
  'nodeId': (string);
  'score': (number);
  'components': (_camos_v1_ScoreComponent__Output)[];
  /**
   * Set when a policy or capacity filter removed the candidate.
   */
  'excludedReason': (string);
}

// Original file: proto/camos/v1/agents.proto

import type { Candidate as _camos_v1_Candidate, Candidate__Output as _camos_v1_Candidate__Output } from '../../camos/v1/Candidate.js';
import type { DecisionRef as _camos_v1_DecisionRef, DecisionRef__Output as _camos_v1_DecisionRef__Output } from '../../camos/v1/DecisionRef.js';

export interface ArbitrateResponse {
  'winner'?: (_camos_v1_Candidate | null);
  'runnersUp'?: (_camos_v1_Candidate)[];
  /**
   * 0..1, from the margin to the runner-up.
   */
  'confidence'?: (number | string);
  'decision'?: (_camos_v1_DecisionRef | null);
}

export interface ArbitrateResponse__Output {
  'winner': (_camos_v1_Candidate__Output | null);
  'runnersUp': (_camos_v1_Candidate__Output)[];
  /**
   * 0..1, from the margin to the runner-up.
   */
  'confidence': (number);
  'decision': (_camos_v1_DecisionRef__Output | null);
}

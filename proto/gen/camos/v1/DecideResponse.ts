// Original file: proto/camos/v1/agents.proto

import type { Candidate as _camos_v1_Candidate, Candidate__Output as _camos_v1_Candidate__Output } from '../../camos/v1/Candidate.js';
import type { DecisionRef as _camos_v1_DecisionRef, DecisionRef__Output as _camos_v1_DecisionRef__Output } from '../../camos/v1/DecisionRef.js';

export interface DecideResponse {
  'chosenOptionId'?: (string);
  'ranking'?: (_camos_v1_Candidate)[];
  'confidence'?: (number | string);
  'decision'?: (_camos_v1_DecisionRef | null);
}

export interface DecideResponse__Output {
  'chosenOptionId': (string);
  'ranking': (_camos_v1_Candidate__Output)[];
  'confidence': (number);
  'decision': (_camos_v1_DecisionRef__Output | null);
}

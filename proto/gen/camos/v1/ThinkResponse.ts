// Original file: proto/camos/v1/agents.proto

import type { Candidate as _camos_v1_Candidate, Candidate__Output as _camos_v1_Candidate__Output } from '../../camos/v1/Candidate.js';

export interface ThinkResponse {
  /**
   * Best first.
   */
  'candidates'?: (_camos_v1_Candidate)[];
}

export interface ThinkResponse__Output {
  /**
   * Best first.
   */
  'candidates': (_camos_v1_Candidate__Output)[];
}

// Original file: proto/camos/v1/agents.proto

import type { DecisionOption as _camos_v1_DecisionOption, DecisionOption__Output as _camos_v1_DecisionOption__Output } from '../../camos/v1/DecisionOption.js';
import type { Criterion as _camos_v1_Criterion, Criterion__Output as _camos_v1_Criterion__Output } from '../../camos/v1/Criterion.js';

export interface DecideRequest {
  'question'?: (string);
  'options'?: (_camos_v1_DecisionOption)[];
  'criteria'?: (_camos_v1_Criterion)[];
  /**
   * Principal used for the policy check of each option.
   */
  'principal'?: (string);
}

export interface DecideRequest__Output {
  'question': (string);
  'options': (_camos_v1_DecisionOption__Output)[];
  'criteria': (_camos_v1_Criterion__Output)[];
  /**
   * Principal used for the policy check of each option.
   */
  'principal': (string);
}

// Original file: proto/camos/v1/policy.proto

import type { ExplainLevel as _camos_v1_ExplainLevel, ExplainLevel__Output as _camos_v1_ExplainLevel__Output } from '../../camos/v1/ExplainLevel.js';

export interface ExplainActionRequest {
  'decisionId'?: (string);
  'taskId'?: (string);
  'traceId'?: (string);
  'level'?: (_camos_v1_ExplainLevel);
  'subject'?: "decisionId"|"taskId"|"traceId";
}

export interface ExplainActionRequest__Output {
  'decisionId'?: (string);
  'taskId'?: (string);
  'traceId'?: (string);
  'level': (_camos_v1_ExplainLevel__Output);
  'subject'?: "decisionId"|"taskId"|"traceId";
}

// Original file: proto/camos/v1/policy.proto

export const ExplainLevel = {
  EXPLAIN_LEVEL_UNSPECIFIED: 'EXPLAIN_LEVEL_UNSPECIFIED',
  EXPLAIN_LEVEL_BRIEF: 'EXPLAIN_LEVEL_BRIEF',
  EXPLAIN_LEVEL_DETAILED: 'EXPLAIN_LEVEL_DETAILED',
  EXPLAIN_LEVEL_TECHNICAL: 'EXPLAIN_LEVEL_TECHNICAL',
  EXPLAIN_LEVEL_AUDIT: 'EXPLAIN_LEVEL_AUDIT',
} as const;

export type ExplainLevel =
  | 'EXPLAIN_LEVEL_UNSPECIFIED'
  | 0
  | 'EXPLAIN_LEVEL_BRIEF'
  | 1
  | 'EXPLAIN_LEVEL_DETAILED'
  | 2
  | 'EXPLAIN_LEVEL_TECHNICAL'
  | 3
  | 'EXPLAIN_LEVEL_AUDIT'
  | 4

export type ExplainLevel__Output = typeof ExplainLevel[keyof typeof ExplainLevel]

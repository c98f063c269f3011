// Original file: proto/camos/v1/common.proto


/**
 * Returned by syscalls that record a decision: where to ask ExplainAction about it.
 */
export interface DecisionRef {
  'decisionId'?: (string);
  'nodeId'?: (string);
}

/**
 * Returned by syscalls that record a decision: where to ask ExplainAction about it.
 */
export interface DecisionRef__Output {
  'decisionId': (string);
  'nodeId': (string);
}

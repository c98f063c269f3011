// Original file: proto/camos/v1/agents.proto


/**
 * One dimension of a candidate's score.
 */
export interface ScoreComponent {
  'dimension'?: (string);
  'raw'?: (number | string);
  'weight'?: (number | string);
  'weighted'?: (number | string);
}

/**
 * One dimension of a candidate's score.
 */
export interface ScoreComponent__Output {
  'dimension': (string);
  'raw': (number);
  'weight': (number);
  'weighted': (number);
}

// Original file: proto/camos/v1/agents.proto


export interface Criterion {
  'name'?: (string);
  'weight'?: (number | string);
  /**
   * True when larger values are better.
   */
  'maximize'?: (boolean);
}

export interface Criterion__Output {
  'name': (string);
  'weight': (number);
  /**
   * True when larger values are better.
   */
  'maximize': (boolean);
}

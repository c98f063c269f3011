// Original file: proto/camos/v1/agents.proto


export interface LearnRequest {
  'agentId'?: (string);
  'taskId'?: (string);
  'success'?: (boolean);
  'latencyMs'?: (number | string);
  'cost'?: (number | string);
  /**
   * 0..1.
   */
  'quality'?: (number | string);
}

export interface LearnRequest__Output {
  'agentId': (string);
  'taskId': (string);
  'success': (boolean);
  'latencyMs': (number);
  'cost': (number);
  /**
   * 0..1.
   */
  'quality': (number);
}

// Original file: proto/camos/v1/agents.proto


export interface CommunicateResponse {
  'messageId'?: (string);
  'duplicate'?: (boolean);
}

export interface CommunicateResponse__Output {
  'messageId': (string);
  'duplicate': (boolean);
}

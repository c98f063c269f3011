// Original file: proto/camos/v1/tasks.proto


export interface AgentMessage {
  'messageId'?: (string);
  'topic'?: (string);
  'payload'?: (Buffer | Uint8Array | string);
  'contentType'?: (string);
}

export interface AgentMessage__Output {
  'messageId': (string);
  'topic': (string);
  'payload': (Buffer);
  'contentType': (string);
}

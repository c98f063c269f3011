// Original file: proto/camos/v1/agents.proto

import type { Durability as _camos_v1_Durability, Durability__Output as _camos_v1_Durability__Output } from '../../camos/v1/Durability.js';
import type { Long } from '@grpc/proto-loader';

export interface CommunicateRequest {
  'agentId'?: (string);
  'topic'?: (string);
  'payload'?: (Buffer | Uint8Array | string);
  'contentType'?: (string);
  /**
   * Deduplication key: a second message with the same key is accepted but not redelivered.
   */
  'messageId'?: (string);
  'ttlMs'?: (number | string | Long);
  'durability'?: (_camos_v1_Durability);
  'target'?: "agentId"|"topic";
}

export interface CommunicateRequest__Output {
  'agentId'?: (string);
  'topic'?: (string);
  'payload': (Buffer);
  'contentType': (string);
  /**
   * Deduplication key: a second message with the same key is accepted but not redelivered.
   */
  'messageId': (string);
  'ttlMs': (number);
  'durability': (_camos_v1_Durability__Output);
  'target'?: "agentId"|"topic";
}

// Original file: proto/camos/v1/agents.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisterAgentResponse {
  'agentId'?: (string);
  'leaseExpiresAtMs'?: (number | string | Long);
  /**
   * Increases on every renewal; used to fence stale sessions.
   */
  'leaseEpoch'?: (number | string | Long);
}

export interface RegisterAgentResponse__Output {
  'agentId': (string);
  'leaseExpiresAtMs': (number);
  /**
   * Increases on every renewal; used to fence stale sessions.
   */
  'leaseEpoch': (number);
}

// Original file: proto/camos/v1/tasks.proto

import type { Long } from '@grpc/proto-loader';

export interface AgentSessionRequest {
  'agentId'?: (string);
  'leaseEpoch'?: (number | string | Long);
}

export interface AgentSessionRequest__Output {
  'agentId': (string);
  'leaseEpoch': (number);
}

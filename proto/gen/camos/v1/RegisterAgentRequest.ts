// Original file: proto/camos/v1/agents.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisterAgentRequest {
  'agentId'?: (string);
  'capabilities'?: (string)[];
  /**
   * Tasks the agent runs at once.
   */
  'capacity'?: (number);
  /**
   * Cost per task in the caller's unit.
   */
  'costPerTask'?: (number | string);
  /**
   * Node that hosts the agent; empty = the node receiving the call.
   */
  'nodeId'?: (string);
  /**
   * Lease length; the agent must renew before it ends. 0 = cluster default.
   */
  'leaseMs'?: (number | string | Long);
  'labels'?: ({[key: string]: string});
}

export interface RegisterAgentRequest__Output {
  'agentId': (string);
  'capabilities': (string)[];
  /**
   * Tasks the agent runs at once.
   */
  'capacity': (number);
  /**
   * Cost per task in the caller's unit.
   */
  'costPerTask': (number);
  /**
   * Node that hosts the agent; empty = the node receiving the call.
   */
  'nodeId': (string);
  /**
   * Lease length; the agent must renew before it ends. 0 = cluster default.
   */
  'leaseMs': (number);
  'labels': ({[key: string]: string});
}

// Original file: proto/camos/v1/agents.proto

import type { Long } from '@grpc/proto-loader';

export interface LearnResponse {
  /**
   * The agent's statistics after the update, merged across the cluster.
   */
  'successRate'?: (number | string);
  'ewmaLatencyMs'?: (number | string);
  'ewmaCost'?: (number | string);
  'ewmaQuality'?: (number | string);
  'samples'?: (number | string | Long);
}

export interface LearnResponse__Output {
  /**
   * The agent's statistics after the update, merged across the cluster.
   */
  'successRate': (number);
  'ewmaLatencyMs': (number);
  'ewmaCost': (number);
  'ewmaQuality': (number);
  'samples': (number);
}

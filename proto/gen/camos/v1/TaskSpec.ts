// Original file: proto/camos/v1/agents.proto

import type { Long } from '@grpc/proto-loader';

export interface TaskSpec {
  'kind'?: (string);
  'requiredCapabilities'?: (string)[];
  'payload'?: (Buffer | Uint8Array | string);
  'labels'?: ({[key: string]: string});
  /**
   * 0 (lowest) .. 100 (highest).
   */
  'priority'?: (number);
  'deadlineMs'?: (number | string | Long);
}

export interface TaskSpec__Output {
  'kind': (string);
  'requiredCapabilities': (string)[];
  'payload': (Buffer);
  'labels': ({[key: string]: string});
  /**
   * 0 (lowest) .. 100 (highest).
   */
  'priority': (number);
  'deadlineMs': (number);
}

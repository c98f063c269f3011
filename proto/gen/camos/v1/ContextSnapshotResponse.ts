// Original file: proto/camos/v1/memory.proto

import type { Long } from '@grpc/proto-loader';

export interface ContextSnapshotResponse {
  'name'?: (string);
  'version'?: (string);
  'keyCount'?: (number);
  'bytes'?: (number | string | Long);
}

export interface ContextSnapshotResponse__Output {
  'name': (string);
  'version': (string);
  'keyCount': (number);
  'bytes': (number);
}

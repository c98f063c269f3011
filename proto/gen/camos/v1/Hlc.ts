// Original file: proto/camos/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A hybrid logical clock reading. Its string form is the version token used by the API:
 * "<physical_ms as 12 hex>.<logical as 4 hex>.<node_id>", which sorts in HLC order.
 */
export interface Hlc {
  'physicalMs'?: (number | string | Long);
  'logical'?: (number);
  'nodeId'?: (string);
}

/**
 * A hybrid logical clock reading. Its string form is the version token used by the API:
 * "<physical_ms as 12 hex>.<logical as 4 hex>.<node_id>", which sorts in HLC order.
 */
export interface Hlc__Output {
  'physicalMs': (number);
  'logical': (number);
  'nodeId': (string);
}

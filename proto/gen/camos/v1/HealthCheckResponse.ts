// Original file: proto/camos/v1/system.proto

import type { ServingState as _camos_v1_ServingState, ServingState__Output as _camos_v1_ServingState__Output } from '../../camos/v1/ServingState.js';
import type { ComponentHealth as _camos_v1_ComponentHealth, ComponentHealth__Output as _camos_v1_ComponentHealth__Output } from '../../camos/v1/ComponentHealth.js';
import type { Long } from '@grpc/proto-loader';

export interface HealthCheckResponse {
  'state'?: (_camos_v1_ServingState);
  'nodeId'?: (string);
  'version'?: (string);
  'uptimeMs'?: (number | string | Long);
  'components'?: (_camos_v1_ComponentHealth)[];
  'documents'?: (number);
  /**
   * Writes acknowledged by the primary store and not yet in the secondary (write-behind).
   */
  'storageBacklog'?: (number | string | Long);
}

export interface HealthCheckResponse__Output {
  'state': (_camos_v1_ServingState__Output);
  'nodeId': (string);
  'version': (string);
  'uptimeMs': (number);
  'components': (_camos_v1_ComponentHealth__Output)[];
  'documents': (number);
  /**
   * Writes acknowledged by the primary store and not yet in the secondary (write-behind).
   */
  'storageBacklog': (number);
}

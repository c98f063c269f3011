// Original file: proto/camos/v1/tasks.proto

import type { Hlc as _camos_v1_Hlc, Hlc__Output as _camos_v1_Hlc__Output } from '../../camos/v1/Hlc.js';
import type { Long } from '@grpc/proto-loader';

export interface TaskEvent {
  'kind'?: (string);
  'at'?: (_camos_v1_Hlc | null);
  'agentId'?: (string);
  'epoch'?: (number | string | Long);
  'detail'?: (string);
}

export interface TaskEvent__Output {
  'kind': (string);
  'at': (_camos_v1_Hlc__Output | null);
  'agentId': (string);
  'epoch': (number);
  'detail': (string);
}

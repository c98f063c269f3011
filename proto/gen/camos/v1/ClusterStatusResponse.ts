// Original file: proto/camos/v1/system.proto

import type { Member as _camos_v1_Member, Member__Output as _camos_v1_Member__Output } from '../../camos/v1/Member.js';

export interface ClusterStatusResponse {
  'cluster'?: (string);
  'nodeId'?: (string);
  'members'?: (_camos_v1_Member)[];
}

export interface ClusterStatusResponse__Output {
  'cluster': (string);
  'nodeId': (string);
  'members': (_camos_v1_Member__Output)[];
}

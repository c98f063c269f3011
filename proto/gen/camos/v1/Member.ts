// Original file: proto/camos/v1/system.proto

import type { MemberState as _camos_v1_MemberState, MemberState__Output as _camos_v1_MemberState__Output } from '../../camos/v1/MemberState.js';
import type { Long } from '@grpc/proto-loader';

export interface Member {
  'nodeId'?: (string);
  'peerId'?: (string);
  'addresses'?: (string)[];
  'state'?: (_camos_v1_MemberState);
  'lastHeartbeatMs'?: (number | string | Long);
  'load'?: (number | string);
  'version'?: (string);
  /**
   * How long the oldest update this node sent (or queued) to the member has waited for the
   * member's ack, ms; 0 when it has acked everything. How far behind the member is.
   */
  'syncLagMs'?: (number | string | Long);
}

export interface Member__Output {
  'nodeId': (string);
  'peerId': (string);
  'addresses': (string)[];
  'state': (_camos_v1_MemberState__Output);
  'lastHeartbeatMs': (number);
  'load': (number);
  'version': (string);
  /**
   * How long the oldest update this node sent (or queued) to the member has waited for the
   * member's ack, ms; 0 when it has acked everything. How far behind the member is.
   */
  'syncLagMs': (number);
}

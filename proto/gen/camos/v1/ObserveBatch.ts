// Original file: proto/camos/v1/memory.proto

import type { ObserveEvent as _camos_v1_ObserveEvent, ObserveEvent__Output as _camos_v1_ObserveEvent__Output } from '../../camos/v1/ObserveEvent.js';

/**
 * One message of an Observe stream: the events that were ready together, in order. A burst of
 * changes (a peer's catch-up, a restore) costs one message instead of one per change.
 */
export interface ObserveBatch {
  'events'?: (_camos_v1_ObserveEvent)[];
}

/**
 * One message of an Observe stream: the events that were ready together, in order. A burst of
 * changes (a peer's catch-up, a restore) costs one message instead of one per change.
 */
export interface ObserveBatch__Output {
  'events': (_camos_v1_ObserveEvent__Output)[];
}

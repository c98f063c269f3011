// Original file: proto/camos/v1/memory.proto

import type { Entry as _camos_v1_Entry, Entry__Output as _camos_v1_Entry__Output } from '../../camos/v1/Entry.js';

export interface ContextVersionsResponse {
  /**
   * Newest first. The history is bounded (tunable context.history_limit).
   */
  'versions'?: (_camos_v1_Entry)[];
}

export interface ContextVersionsResponse__Output {
  /**
   * Newest first. The history is bounded (tunable context.history_limit).
   */
  'versions': (_camos_v1_Entry__Output)[];
}

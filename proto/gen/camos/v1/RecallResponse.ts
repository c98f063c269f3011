// Original file: proto/camos/v1/memory.proto

import type { Entry as _camos_v1_Entry, Entry__Output as _camos_v1_Entry__Output } from '../../camos/v1/Entry.js';

export interface RecallResponse {
  'entry'?: (_camos_v1_Entry | null);
}

export interface RecallResponse__Output {
  'entry': (_camos_v1_Entry__Output | null);
}

// Original file: proto/camos/v1/memory.proto

import type { Entry as _camos_v1_Entry, Entry__Output as _camos_v1_Entry__Output } from '../../camos/v1/Entry.js';

// Original file: proto/camos/v1/memory.proto

export const _camos_v1_ObserveEvent_Kind = {
  KIND_UNSPECIFIED: 'KIND_UNSPECIFIED',
  /**
   * A current entry sent before following starts.
   */
  KIND_INITIAL: 'KIND_INITIAL',
  /**
   * All initial entries have been sent; changes follow.
   */
  KIND_SYNCED: 'KIND_SYNCED',
  KIND_PUT: 'KIND_PUT',
  KIND_DELETE: 'KIND_DELETE',
  KIND_EXPIRED: 'KIND_EXPIRED',
} as const;

export type _camos_v1_ObserveEvent_Kind =
  | 'KIND_UNSPECIFIED'
  | 0
  /**
   * A current entry sent before following starts.
   */
  | 'KIND_INITIAL'
  | 1
  /**
   * All initial entries have been sent; changes follow.
   */
  | 'KIND_SYNCED'
  | 2
  | 'KIND_PUT'
  | 3
  | 'KIND_DELETE'
  | 4
  | 'KIND_EXPIRED'
  | 5

export type _camos_v1_ObserveEvent_Kind__Output = typeof _camos_v1_ObserveEvent_Kind[keyof typeof _camos_v1_ObserveEvent_Kind]

export interface ObserveEvent {
  'kind'?: (_camos_v1_ObserveEvent_Kind);
  /**
   * For DELETE and EXPIRED, the entry that is gone (value empty for DELETE).
   */
  'entry'?: (_camos_v1_Entry | null);
  /**
   * True when the change arrived from a peer or storage rather than a syscall on this node.
   */
  'remote'?: (boolean);
}

export interface ObserveEvent__Output {
  'kind': (_camos_v1_ObserveEvent_Kind__Output);
  /**
   * For DELETE and EXPIRED, the entry that is gone (value empty for DELETE).
   */
  'entry': (_camos_v1_Entry__Output | null);
  /**
   * True when the change arrived from a peer or storage rather than a syscall on this node.
   */
  'remote': (boolean);
}

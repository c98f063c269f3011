// Original file: proto/camos/v1/memory.proto

import type { Durability as _camos_v1_Durability, Durability__Output as _camos_v1_Durability__Output } from '../../camos/v1/Durability.js';
import type { Long } from '@grpc/proto-loader';

export interface RememberRequest {
  'namespace'?: (string);
  'key'?: (string);
  'value'?: (Buffer | Uint8Array | string);
  /**
   * Defaults to "application/octet-stream".
   */
  'contentType'?: (string);
  'metadata'?: ({[key: string]: string});
  /**
   * Time to live in milliseconds from the write's HLC time; 0 = no expiry.
   */
  'ttlMs'?: (number | string | Long);
  'durability'?: (_camos_v1_Durability);
  /**
   * Optimistic concurrency: when set, the write fails with FAILED_PRECONDITION unless the
   * key's current version equals this token ("" with if_absent for "key must not exist").
   */
  'ifVersion'?: (string);
  'ifAbsent'?: (boolean);
}

export interface RememberRequest__Output {
  'namespace': (string);
  'key': (string);
  'value': (Buffer);
  /**
   * Defaults to "application/octet-stream".
   */
  'contentType': (string);
  'metadata': ({[key: string]: string});
  /**
   * Time to live in milliseconds from the write's HLC time; 0 = no expiry.
   */
  'ttlMs': (number);
  'durability': (_camos_v1_Durability__Output);
  /**
   * Optimistic concurrency: when set, the write fails with FAILED_PRECONDITION unless the
   * key's current version equals this token ("" with if_absent for "key must not exist").
   */
  'ifVersion': (string);
  'ifAbsent': (boolean);
}

// Original file: proto/camos/v1/memory.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One key's current (or historical) value in a namespace.
 */
export interface Entry {
  'namespace'?: (string);
  'key'?: (string);
  'value'?: (Buffer | Uint8Array | string);
  'contentType'?: (string);
  'metadata'?: ({[key: string]: string});
  /**
   * Version token (see Hlc): sorts in write order across the cluster.
   */
  'version'?: (string);
  /**
   * Hex sha256 of value.
   */
  'sha256'?: (string);
  /**
   * Node that performed the write.
   */
  'authorNode'?: (string);
  /**
   * HLC physical time of the write, ms since the Unix epoch.
   */
  'writtenAtMs'?: (number | string | Long);
  /**
   * HLC physical time after which the entry is gone; 0 = never.
   */
  'expiresAtMs'?: (number | string | Long);
  /**
   * True for a history entry that records a delete (ContextVersions only).
   */
  'deleted'?: (boolean);
}

/**
 * One key's current (or historical) value in a namespace.
 */
export interface Entry__Output {
  'namespace': (string);
  'key': (string);
  'value': (Buffer);
  'contentType': (string);
  'metadata': ({[key: string]: string});
  /**
   * Version token (see Hlc): sorts in write order across the cluster.
   */
  'version': (string);
  /**
   * Hex sha256 of value.
   */
  'sha256': (string);
  /**
   * Node that performed the write.
   */
  'authorNode': (string);
  /**
   * HLC physical time of the write, ms since the Unix epoch.
   */
  'writtenAtMs': (number);
  /**
   * HLC physical time after which the entry is gone; 0 = never.
   */
  'expiresAtMs': (number);
  /**
   * True for a history entry that records a delete (ContextVersions only).
   */
  'deleted': (boolean);
}

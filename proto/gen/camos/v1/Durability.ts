// Original file: proto/camos/v1/common.proto

/**
 * How durable a write must be before the call returns.
 */
export const Durability = {
  /**
   * Defaults to LOCAL.
   */
  DURABILITY_UNSPECIFIED: 'DURABILITY_UNSPECIFIED',
  /**
   * fsync'd to this node's storage (embedded log, or Redis when it is the only store).
   */
  DURABILITY_LOCAL: 'DURABILITY_LOCAL',
  /**
   * Also persisted by a majority of cluster members (requires federation).
   */
  DURABILITY_QUORUM: 'DURABILITY_QUORUM',
  /**
   * Also persisted by every cluster member (requires federation).
   */
  DURABILITY_ALL: 'DURABILITY_ALL',
} as const;

/**
 * How durable a write must be before the call returns.
 */
export type Durability =
  /**
   * Defaults to LOCAL.
   */
  | 'DURABILITY_UNSPECIFIED'
  | 0
  /**
   * fsync'd to this node's storage (embedded log, or Redis when it is the only store).
   */
  | 'DURABILITY_LOCAL'
  | 1
  /**
   * Also persisted by a majority of cluster members (requires federation).
   */
  | 'DURABILITY_QUORUM'
  | 2
  /**
   * Also persisted by every cluster member (requires federation).
   */
  | 'DURABILITY_ALL'
  | 3

/**
 * How durable a write must be before the call returns.
 */
export type Durability__Output = typeof Durability[keyof typeof Durability]
